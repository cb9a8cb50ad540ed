//! What the pages show and the one interface they read it through.
//!
//! The data here is plain serde types with no UI: the server builds them (its service,
//! editor and routes) and the app's pages and server functions render them, so neither
//! side needs the other's crate for them. [`Backend`] is the narrow interface the pages
//! call; the server's `Service` implements it and the app finds it in Leptos context.

mod backend;
mod dashboard;
mod editor;
mod organiser;
mod refusal;
mod report;
mod respondent;
pub mod workspace;

pub use backend::{Backend, BoxFuture, ResultsError, SharedBackend, Unavailable};
pub use dashboard::{Activity, DashboardData, PanelView, RateRow, SurveySummary, TEXTS_PER_PAGE};
pub use editor::{EditorEcho, EditorSource, PendingChanges};
pub use organiser::{Organiser, PasswordEcho, SignInEcho, SESSION_COOKIE};
pub use refusal::{Guarded, Refusal};
pub use report::ReportData;
pub use respondent::{FormEcho, Receipted, ScheduleText};

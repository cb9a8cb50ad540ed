//! The organisers' pages: sign-in, password change, the overview of surveys, each
//! survey's live dashboard and its report. Their data comes from server functions that check the
//! session themselves (`crate::admin_api`); without one the page sends the browser to
//! the sign-in page.

mod dashboard;
pub mod editor;
mod overview;
// Server HTML only: nothing of the report reaches the browser's bundle.
#[cfg(feature = "ssr")]
mod report;
mod sign_in;

pub use dashboard::DashboardPage;
pub use editor::EditorPage;
pub use overview::OverviewPage;
#[cfg(feature = "ssr")]
pub use report::ReportPage;
/// The report is rendered on the server only; the browser's build never draws it.
#[cfg(not(feature = "ssr"))]
#[leptos::component]
pub fn ReportPage() -> impl leptos::IntoView {}
pub use sign_in::{PasswordPage, SignInPage};

use leptos::prelude::*;

use crate::admin_api::AdminView;

/// What an admin page shows when its data is refused: during server rendering the
/// browser is redirected (302) to where it can go on.
fn refused<T>(view: AdminView<T>) -> AnyView {
    let (target, text) = match view {
        AdminView::SignIn => ("/admin/login", "Sign in to continue"),
        AdminView::ChangePassword => ("/admin/password", "Choose your own password to continue"),
        AdminView::UnknownSurvey => return view! { <crate::NotFound/> }.into_any(),
        AdminView::NotAllowed(message) => {
            return view! {
                <h1>"Not allowed"</h1>
                <p data-testid="not-allowed">{message}</p>
                <p><a href="/admin">"See your surveys"</a></p>
            }
            .into_any()
        }
        AdminView::Shown(_) => return ().into_any(),
    };
    // Whatever the client accepts: a page request without a session is always redirected.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FOUND);
        response.insert_header(http::header::LOCATION, http::HeaderValue::from_static(target));
    }
    view! { <p><a href=target>{text}</a>"."</p> }.into_any()
}

/// The signed-in organiser and a sign-out button, on every admin page.
#[component]
fn AdminBar(email: String) -> impl IntoView {
    view! {
        <form class="admin-bar" method="post" action="/admin/logout">
            <span>"Signed in as " <strong data-testid="organiser">{email}</strong></span>
            " "
            <button type="submit" class="link-button">"Sign out"</button>
        </form>
    }
}

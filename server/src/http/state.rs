//! The state every route shares: Leptos' rendering options and the survey service.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::service::Service;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub service: Arc<Service>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<AppState> for Arc<Service> {
    fn from_ref(state: &AppState) -> Self {
        state.service.clone()
    }
}

//! `/admin/login` and `/admin/password`: plain forms posting to the server, which works
//! with or without JavaScript. A refused attempt comes back as this page with the
//! message, carried through a resource into the server-rendered page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::admin_api::{admin_password_form, AdminView, PasswordForm};
use canvass::pages::{PasswordEcho, SignInEcho};

/// A context value the server provides only when re-rendering a refused post.
fn echo<T: Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static>() -> Resource<Option<T>> {
    let value = use_context::<T>();
    Resource::new(
        || (),
        move |_| {
            let value = value.clone();
            async move { value }
        },
    )
}

#[component]
fn Problem(message: String) -> impl IntoView {
    view! {
        <div class="error-summary" id="error-summary" role="alert" tabindex="-1">
            <h2>"There is a problem"</h2>
            <p data-testid="sign-in-error">{message}</p>
        </div>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let echo = echo::<SignInEcho>();
    view! {
        <crate::escaped::PageTitle text="Sign in – Canvass organisers"/>
        <h1>"Sign in"</h1>
        <p>"For survey organisers: watch responses arrive, export them, open or close a survey."</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let SignInEcho { email, error } = echo.await.unwrap_or_default();
                view! {
                    {(!error.is_empty()).then(|| view! { <Problem message=error/> })}
                    <form method="post" action="/admin/login" class="sign-in">
                        <div class="field">
                            <label for="email" class="question-label">"Email address"</label>
                            <input id="email" name="email" type="email" autocomplete="username" spellcheck="false"
                                required=true value=email/>
                        </div>
                        <div class="field">
                            <label for="password" class="question-label">"Password"</label>
                            <input id="password" name="password" type="password" autocomplete="current-password" required=true/>
                        </div>
                        <button type="submit" class="submit">"Sign in"</button>
                    </form>
                }
            })}
        </Suspense>
    }
}

/// Choosing a password: the first thing after signing in with the one-time password
/// (which is not asked for again: the session it opened is the proof), or a change later
/// (which asks for the current one). The rules are on the page, and a refused password
/// comes back in the error summary rather than as a browser tooltip.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let echo = echo::<PasswordEcho>();
    let form = Resource::new(|| (), |_| admin_password_form());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let PasswordEcho { error } = echo.await.unwrap_or_default();
                let PasswordForm { email, one_time } = match form.await {
                    Ok(AdminView::Shown(form)) => form,
                    Ok(other) => return super::refused(other),
                    Err(_) => return view! { <crate::LoadFailed heading="This page could not be loaded"/> }.into_any(),
                };
                let title = if error.is_empty() { "Choose a password – Canvass organisers" } else { "Error: Choose a password – Canvass organisers" };
                view! {
                    <crate::escaped::PageTitle text=title/>
                    <h1>"Choose your password"</h1>
                    {if one_time {
                        view! { <p>"You are signed in as " <strong>{email.clone()}</strong> " with your one-time password. Choose your own to go on."</p> }.into_any()
                    } else {
                        view! { <p>"Signed in as " <strong>{email.clone()}</strong> ". Your other sessions end when you change your password."</p> }.into_any()
                    }}
                    {(!error.is_empty()).then(|| view! { <Problem message=error/> })}
                    <form method="post" action="/admin/password" class="sign-in" novalidate=true>
                        {(!one_time).then(|| view! {
                            <div class="field">
                                <label for="current" class="question-label">"Current password"</label>
                                <input id="current" name="current" type="password" autocomplete="current-password" required=true/>
                            </div>
                        })}
                        <div class="field">
                            <label for="new" class="question-label">"New password"</label>
                            <p class="hint" id="new-hint">"At least 12 characters. A few unrelated words are easy to type and hard to guess."</p>
                            <input id="new" name="new" type="password" autocomplete="new-password" aria-describedby="new-hint" required=true/>
                        </div>
                        <div class="field">
                            <label for="confirm" class="question-label">"New password again"</label>
                            <input id="confirm" name="confirm" type="password" autocomplete="new-password" required=true/>
                        </div>
                        <button type="submit" class="submit">"Save password"</button>
                    </form>
                }.into_any()
            })}
        </Suspense>
    }
}

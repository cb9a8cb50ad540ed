//! Organiser helpers: an account, a signed-in session, and requests as the organiser's
//! browser sends them (same-site `Origin`, the session cookie).

use super::TestApp;

pub const ORGANISER: &str = "chair@example.gov.uk";
pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// Adds an administrator straight through the store (as `canvass organiser add
    /// --admin` does): the standard test organiser may do everything, as the first
    /// organiser of a real deployment may. (The server made `organiser@localhost` first.)
    pub async fn add_organiser(&self, email: &str, password: &str) {
        let id = self.add_organiser_without_role(email, password).await;
        self.service.store().set_admin(id, true).await.unwrap();
    }

    /// Adds an organiser with no role on any survey yet.
    pub async fn add_organiser_without_role(&self, email: &str, password: &str) -> i64 {
        let hash = server::auth::password::hash(password.to_string()).await.unwrap();
        self.service.store().add_organiser(email, &hash, false).await.unwrap().expect("a new organiser")
    }

    /// A form POST as the site's own page sends it.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> reqwest::Response {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let mut request = self
            .client
            .post(format!("{}{path}", self.address))
            .header("origin", &self.address)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }

    /// Uploads `csv` as the survey's contact list, as the dashboard's Import does.
    pub async fn import_panel(&self, cookie: &str, csv: &str) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("panel.csv").mime_str("text/csv").unwrap());
        self.client
            .post(format!("{}/admin/surveys/{}/panel/import", self.address, super::SLUG))
            .header("origin", &self.address)
            .header("cookie", cookie)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_with(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.address));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/admin/login", &[("email", email), ("password", password)], None).await
    }

    /// A sign-in from `address` (told by `X-Forwarded-For`, so the server must trust it),
    /// with the cookies a browser would send.
    pub async fn sign_in_from(&self, address: &str, email: &str, password: &str, cookie: Option<&str>) -> reqwest::Response {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs([("email", email), ("password", password)]).finish();
        let mut request = self
            .client
            .post(format!("{}/admin/login", self.address))
            .header("origin", &self.address)
            .header("x-forwarded-for", address)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }

    /// Adds the standard organiser, signs in and returns the `Cookie` header value.
    pub async fn organiser_cookie(&self) -> String {
        self.add_organiser(ORGANISER, PASSWORD).await;
        let response = self.sign_in(ORGANISER, PASSWORD).await;
        assert_eq!(response.status(), 303, "the organiser signs in");
        session_cookie(&response).expect("a session cookie is set")
    }
}

/// `canvass_session=…` from a response's `Set-Cookie`, if it sets a non-empty one.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    set_cookie(response, "canvass_session")
}

/// `NAME=…` from a response's `Set-Cookie`, if it sets a non-empty one.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with(&prefix) && pair.len() > prefix.len())
        .map(String::from)
}

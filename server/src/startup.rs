//! Building and running the server: the one place that wires storage, the service, the
//! Leptos pages and the plain routes together. Tests start it on port 0.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use axum::extract::DefaultBodyLimit;
use axum::Router;
use canvass::pages::SharedBackend;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tokio::net::TcpListener;

use crate::auth::AuthSettings;
use crate::http::public_url::PublicUrl;
use crate::http::serve::ConnectionLimits;
use crate::http::state::AppState;
use crate::service::catalog::Catalog;
use crate::service::{Service, ServiceSettings};
use crate::storage::Store;
use crate::{http, machines, organisers, respondents};

/// The longest a request may take to start its response.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Unfinished answers are kept this long after their last save unless told otherwise.
pub const DEFAULT_DRAFT_EXPIRY: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 60 * 60);

/// Everything `serve` needs, from flags or environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub addr: SocketAddr,
    pub database_url: String,
    pub surveys_dir: PathBuf,
    /// Where the built site (the /pkg wasm, js and css) lives; `None`: the copy built into
    /// the binary (`http::bundle::embedded`), or target/site when there is none.
    pub site_root: Option<String>,
    /// Per-address limit on submissions; `None` turns it off (benchmarks, tests).
    pub rate_limit: Option<crate::respondents::limits::RateLimit>,
    /// Organiser sessions and cookies.
    pub auth: AuthSettings,
    /// How long a respondent's unfinished answers (no-JavaScript steps) are kept.
    pub draft_expiry: std::time::Duration,
    /// The address people open Canvass at; `None`: the listen address.
    pub public_url: Option<PublicUrl>,
    /// Connections one client address may hold at once; 0 for no cap.
    pub connections_per_address: usize,
    /// How long a client has to send a request's headers (and how long an idle
    /// keep-alive connection stays open).
    pub header_read_timeout: std::time::Duration,
    /// The zone the dashboard shows times in.
    pub zone: crate::organisers::zone::OrganiserZone,
    /// The SMTP relay and sender for email to the panel (none: the queue waits).
    pub mail: crate::mail::MailSettings,
    /// Live-totals streams held at once; `None`: as many as the open-files limit allows.
    pub max_live_streams: Option<usize>,
    /// Where `/metrics` is served; `None`: nowhere.
    pub metrics_addr: Option<SocketAddr>,
    /// How webhooks are sent.
    pub webhooks: crate::webhooks::WebhookSettings,
}

impl Settings {
    /// Port 0 (any free port), no rate limit and no cap on connections per address (every
    /// test client is 127.0.0.1), default sessions: what tests and benchmarks start from.
    pub fn new(database_url: impl Into<String>, surveys_dir: impl Into<PathBuf>, site_root: impl Into<String>) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.into(),
            surveys_dir: surveys_dir.into(),
            site_root: Some(site_root.into()),
            rate_limit: None,
            auth: AuthSettings::default(),
            draft_expiry: DEFAULT_DRAFT_EXPIRY,
            public_url: None,
            connections_per_address: 0,
            header_read_timeout: crate::http::serve::HEADER_READ_TIMEOUT,
            zone: crate::organisers::zone::OrganiserZone::default(),
            mail: crate::mail::MailSettings::default(),
            max_live_streams: None,
            metrics_addr: None,
            webhooks: crate::webhooks::WebhookSettings::default(),
        }
    }
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    slugs: Vec<String>,
    service: Arc<Service>,
    first_organiser: Option<(String, String)>,
    metrics: Option<SocketAddr>,
}

impl Application {
    /// Reads the definition files, opens the database (applying migrations), publishes
    /// each changed file as its survey's next version, serves every survey's live version,
    /// and binds the address. Fails with a message saying what to fix.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let files = crate::service::catalog::read_folder(&settings.surveys_dir);
        let store = Store::connect(&settings.database_url).await?;
        import_files(&store, files?).await?;
        let catalog = Catalog::new(store.live_definitions().await?);
        anyhow::ensure!(
            !catalog.all().is_empty(),
            "there are no surveys yet: add a definition file (*.toml) to {}, or publish one with `canvass survey publish FILE`",
            settings.surveys_dir.display()
        );
        let slugs = catalog.all().iter().map(|d| d.slug.to_string()).collect();
        let listener = TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("binding {}; is another server using that port? Pass --addr HOST:PORT", settings.addr))?;
        let public_url = settings.public_url.clone().unwrap_or_else(|| PublicUrl::from_listen(listener.local_addr().unwrap_or(settings.addr)));
        let service = Service::start(
            catalog,
            store,
            ServiceSettings {
                auth: settings.auth.clone(),
                draft_expiry: settings.draft_expiry,
                public_url,
                zone: settings.zone.clone(),
                mail: settings.mail.clone(),
                webhooks: settings.webhooks.clone(),
            },
        )
        .await?;
        let open_files = crate::operations::process::raise_open_files_limit();
        let streams = settings.max_live_streams.unwrap_or_else(|| open_files.map_or(usize::MAX, crate::live::watchers::Watchers::limit_for));
        service.hub().watchers().set_limit(streams);
        if let Some(open_files) = open_files {
            tracing::info!(open_files, live_streams = streams, "open-files limit: this many live-totals streams can be held at once");
        }
        let first_organiser = service.auth().ensure_first_organiser().await.context("creating the first organiser")?;
        let metrics = match settings.metrics_addr {
            Some(addr) => {
                crate::operations::metrics::install();
                crate::operations::metrics::serve(addr, service.clone()).await
            }
            None => None,
        };
        let leptos = LeptosOptions::builder()
            .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "canvass".into()))
            .site_root(settings.site_root.clone().unwrap_or_else(|| http::bundle::DEFAULT_SITE_ROOT.into()))
            .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
            .site_addr(listener.local_addr()?)
            .build();
        let origins = http::origin::OriginPolicy {
            public_url: settings.public_url.clone(),
            https: settings.auth.secure_cookies,
            trust_forwarded_proto: settings.auth.trust_forwarded_for,
        };
        let embedded = settings.site_root.is_none() && http::bundle::embedded();
        let mut router = router(AppState { leptos, service: service.clone() }, origins, embedded);
        let cookies = Arc::new(http::cookies::CookiePolicy {
            always_secure: settings.auth.secure_cookies,
            trust_forwarded_proto: settings.auth.trust_forwarded_for,
        });
        router = router.layer(axum::middleware::from_fn_with_state(cookies, http::cookies::mark_secure));
        if let Some(limit) = settings.rate_limit {
            let limiter = Arc::new(crate::respondents::limits::Limiter::new(limit));
            router = router.layer(axum::middleware::from_fn_with_state(limiter, crate::respondents::limits::limit_submissions));
        }
        let router = http::request_log::layer(router);
        let limits = ConnectionLimits {
            header_read_timeout: settings.header_read_timeout,
            per_address: (settings.connections_per_address > 0 && !settings.auth.trust_forwarded_for).then_some(settings.connections_per_address),
        };
        Ok(Self { listener, router, limits, slugs, service, first_organiser, metrics })
    }

    /// The service behind the routes (tests compare its live totals with a recount).
    pub fn service(&self) -> Arc<Service> {
        self.service.clone()
    }

    /// When this start created the first organiser: (email, one-time password), to be
    /// shown to the operator once.
    pub fn first_organiser(&self) -> Option<&(String, String)> {
        self.first_organiser.as_ref()
    }

    /// Where `/metrics` is served, if anywhere.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The published surveys' slugs, to tell the operator where to point respondents.
    pub fn slugs(&self) -> &[String] {
        &self.slugs
    }

    /// The address links are built from (`--public-url`, or the listen address).
    pub fn public_url(&self) -> &PublicUrl {
        self.service.public_url()
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let service = self.service.clone();
        crate::http::serve::serve(self.listener, self.router, self.limits, async move {
            shutdown_signal().await;
            // Open event streams would otherwise hold the shutdown forever.
            service.hub().stop();
        })
        .await;
        Ok(())
    }
}

/// The Leptos pages' routes, worked out once per process.
///
/// `generate_route_list` renders the app with every resource load suppressed, and that
/// suppression is a process-wide flag in leptos_server: while it is set, any page being
/// rendered elsewhere in the process waits forever on its data (until the request timeout
/// answers 408). A second server built in the same process, as the integration tests do,
/// must therefore never generate the list again while the first one serves.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// Every Leptos page's (method, path pattern), as the router serves them: what
/// `auth::guard::ACCESS` must hold besides the plain routes and server functions.
pub fn page_paths() -> Vec<(String, String)> {
    page_routes().iter().flat_map(|listing| listing.methods().map(|method| (format!("{method:?}").to_uppercase(), listing.path().to_string()))).collect()
}

fn router(state: AppState, origins: http::origin::OriginPolicy, embedded_site: bool) -> Router {
    let routes = page_routes();
    let backend: SharedBackend = state.service.clone();
    let options = state.leptos.clone();
    let (bundle_path, bundle) = http::bundle::service(&state.leptos, embedded_site);
    Router::new()
        .merge(respondents::router())
        .merge(organisers::router())
        .merge(machines::router())
        .merge(http::health::router())
        .leptos_routes_with_context(&state, routes, move || provide_context(backend.clone()), move || app::shell(options.clone()))
        // Every route above (not the bundle's files nor the fallback) passes the one guard,
        // which refuses anything its table does not list.
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::auth::guard::guard))
        .nest_service(&bundle_path, bundle)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(axum::middleware::map_response(http::server_fns::client_errors_are_4xx))
        .layer(axum::middleware::from_fn_with_state(state.clone(), respondents::receipts::receipt_query_to_cookie))
        .layer(axum::middleware::from_fn_with_state(state.clone(), respondents::invitations::invitation_only))
        .layer(DefaultBodyLimit::max(machines::api::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(Arc::new(origins), http::origin::same_origin_only))
        // A request that has not produced its response headers in this time gets 408.
        // Event streams are unaffected: their headers go out at once.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        // Every error under /api is a problem document, whichever layer made it.
        .layer(axum::middleware::from_fn(http::problem::api_errors_are_problems))
        .layer(axum::middleware::map_response(http::headers::add_security_headers))
        .layer(axum::middleware::from_fn(http::headers::no_store_for_organisers))
        .layer(http::compress::layer())
        .with_state(state)
}

/// Ctrl-C, or SIGTERM as systemd and container runtimes send it: stop accepting, let the
/// requests in flight finish (their submissions are committed and acknowledged), end the
/// event streams with a retry hint, then exit.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Publishes each definition file whose content is not yet a stored version. A file the
/// rules refuse (it would give a stored code a new meaning) is reported and left out:
/// the survey's live version goes on serving.
async fn import_files(store: &Store, files: Vec<crate::service::catalog::DefinitionFile>) -> anyhow::Result<()> {
    use crate::storage::{PublishError, Published};
    for file in files {
        match store.import(&file.definition, &file.source).await {
            Ok(Published::New { version, .. }) => {
                tracing::info!(slug = %file.definition.slug, version, file = %file.path.display(), "published a definition file");
                let entry = crate::auth::audit::Entry::new("canvass (surveys folder)", crate::auth::audit::Act::Published)
                    .survey(&file.definition.slug)
                    .detail(format!("version {version} from {}", file.path.display()));
                store.append_audit(&entry).await?;
            }
            Ok(Published::Unchanged { .. }) => {}
            Err(PublishError::Unexpected(e)) => return Err(e.context(format!("publishing {}", file.path.display()))),
            Err(refused) => eprintln!("{}: {refused}; its live version goes on serving", file.path.display()),
        }
    }
    Ok(())
}

//! The default survey, parsed once: the answer targets fuzz answers, not the definition.

pub fn definition() -> &'static canvass::Definition {
    static DEFINITION: std::sync::OnceLock<canvass::Definition> = std::sync::OnceLock::new();
    DEFINITION.get_or_init(|| {
        canvass::parse_definition("default", include_str!("../../../surveys/public-sector-social-media.toml")).unwrap()
    })
}

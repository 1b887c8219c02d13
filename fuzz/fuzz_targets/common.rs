//! The site every fuzz target works against: a site.yaml and a few documents
//! and files that links can point at.

use std::collections::HashMap;
use std::sync::OnceLock;

use bounce::config::Config;
use bounce::links::Routes;

pub const KEYS: &[&str] = &["_index.md", "page.md", "guide/_index.md", "guide/policy.md"];

pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        bounce::config::parse(
            "title: Fuzz\nbase_url: https://council.example/hs/\ntopics:\n  resilience: Resilience\n",
        )
        .expect("the fuzz site.yaml is valid")
    })
}

pub fn routes() -> &'static Routes {
    static ROUTES: OnceLock<Routes> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let mut routes = Routes {
            base_path: "/hs/".into(),
            documents: HashMap::from([
                ("_index.md".to_string(), String::new()),
                ("page.md".to_string(), "page/".to_string()),
                ("guide/_index.md".to_string(), "guide/".to_string()),
                ("guide/policy.md".to_string(), "guide/policy/".to_string()),
            ]),
            ..Routes::default()
        };
        routes.assets.insert("guide/policy guide.pdf".into());
        routes
            .urls
            .extend(["page/".to_string(), "guide/".to_string()]);
        routes
    })
}

//! A complete, valid response to the default survey as the steps without JavaScript post
//! it: one list of form fields per section (shared by the tests and the benchmarks).

pub const SECTIONS: [&[(&str, &str)]; 5] = [
    &[("org_type", "local"), ("role", "comms_head")],
    &[("strategy", "yes"), ("purposes", "news"), ("purposes", "feedback")],
    &[
        ("channels.twitter", "using"),
        ("channels.facebook", "using"),
        ("channels.youtube", "planning"),
        ("channels.linkedin", "no_plans"),
        ("channels.instagram", "no_plans"),
        ("channels.flickr", "no_plans"),
        ("channels.blogs", "planning"),
        ("user_channels", "facebook"),
    ],
    &[("spend", "250")],
    &[("obstacle", "Measuring outcomes")],
];

//! One storage suite, two engines: every test runs on SQLite and on PostgreSQL.

mod support;

use std::collections::BTreeMap;

use canvass::{parse_definition, validate, Answer, SubmissionKey, ValidResponse};
use server::storage::{DraftWrite, NewResponse, Outcome, PublishError, Published, Store};

const SLUG: &str = "public-sector-social-media";

fn survey() -> canvass::Definition {
    parse_definition("default", include_str!("../../surveys/public-sector-social-media.toml")).unwrap()
}

/// A response the core accepts (storage takes nothing else), from an organisation of
/// kind `org`, with free text `obstacle` and an email when given.
fn response(org: &str, obstacle: Option<&str>, email: Option<&str>) -> ValidResponse {
    let mut raw = serde_json::json!({
        "org_type": org, "role": "other", "strategy": "yes", "purposes": ["news"],
        "channels": {"twitter": "using", "facebook": "using", "youtube": "using", "linkedin": "using",
                     "instagram": "using", "flickr": "using", "blogs": "using"}
    });
    if let Some(text) = obstacle {
        raw["obstacle"] = text.into();
    }
    if let Some(email) = email {
        raw["email"] = email.into();
        raw["consent"] = true.into();
    }
    validate(&survey(), &serde_json::from_value(raw).unwrap()).expect("valid answers")
}

fn answers(org: &str) -> BTreeMap<String, Answer> {
    response(org, None, None).answers().clone()
}

/// A draft of the test survey saved under `token_hash` at unix time `at`.
fn save(token_hash: &str, fields: &str, at: i64) -> DraftWrite {
    DraftWrite::Save { token_hash: token_hash.into(), slug: SLUG.into(), fields: fields.into(), at }
}

fn key(text: &str) -> SubmissionKey {
    SubmissionKey::parse(text).unwrap()
}

async fn insert(store: &Store, k: &str, org: &str) -> server::storage::Stored {
    let response = response(org, None, Some("a@b.org"));
    store
        .insert_response(&NewResponse {
            slug: &canvass::Slug::parse(SLUG).unwrap(),
            version: 1,
            key: &key(k),
            response: &response,
            anonymous: false,
            invitation: None,
        })
        .await
        .unwrap()
}

on_both_engines!(publishing_numbers_versions_itself_and_the_same_content_is_no_new_version, |store: Store| async move {
    let mut definition = survey();
    assert_eq!(store.publish(&definition, Some("# the file")).await.unwrap(), Published::New { version: 1, changes: Default::default() });
    assert_eq!(store.publish(&definition, None).await.unwrap(), Published::Unchanged { version: 1 });
    definition.title.push_str(" (edited)");
    let Published::New { version: 2, changes } = store.publish(&definition, None).await.unwrap() else { panic!("a change is version 2") };
    assert_eq!(changes.wording, vec!["title changed"]);
    let live = store.live_definitions().await.unwrap();
    assert_eq!((live.len(), live[0].version, live[0].title.as_str()), (1, 2, definition.title.as_str()));
    let first = store.stored_version(&canvass::Slug::parse(SLUG).unwrap(), Some(1)).await.unwrap().expect("version 1 is kept");
    assert_eq!(first.source.as_deref(), Some("# the file"), "with the text it came from");
    assert_eq!(store.live_versions().await.unwrap(), vec![(SLUG.to_string(), 2)]);

    // A file at start that says what version 1 said undoes nothing.
    assert_eq!(store.import(&survey(), "").await.unwrap(), Published::Unchanged { version: 2 });
});

on_both_engines!(a_change_that_gives_a_stored_code_a_new_meaning_is_refused_and_nothing_is_stored, |store: Store| async move {
    let definition = survey();
    store.publish(&definition, None).await.unwrap();
    let mut changed = definition.clone();
    let question = changed.sections.iter_mut().flat_map(|s| s.questions.iter_mut()).find(|q| q.id == "obstacle").expect("a text question");
    question.kind = canvass::Kind::Email;
    match store.publish(&changed, None).await {
        Err(PublishError::Refused { reasons, .. }) => {
            assert!(reasons[0].starts_with("question `obstacle` was a free text question in version 1"), "{reasons:?}")
        }
        other => panic!("refused, not {other:?}"),
    }
    assert_eq!(store.live_versions().await.unwrap(), vec![(SLUG.to_string(), 1)]);
});

on_both_engines!(a_repeated_submission_key_is_stored_once_with_the_original_receipt, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    let first = insert(&store, "key-1", "local").await;
    let again = insert(&store, "key-1", "local").await;
    assert_eq!((first.outcome, again.outcome), (Outcome::Created, Outcome::Repeated));
    assert_eq!((&first.response_id, &first.receipt), (&again.response_id, &again.receipt));
    assert_eq!(store.count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), 1);
});

on_both_engines!(a_key_reused_with_different_answers_or_contact_stores_nothing, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    insert(&store, "key-1", "local").await;
    let other_answers = insert(&store, "key-1", "health").await;
    assert_eq!(other_answers.outcome, Outcome::KeyReused);
    let no_contact = response("local", None, None);
    let other_contact = store
        .insert_response(&NewResponse {
            slug: &canvass::Slug::parse(SLUG).unwrap(),
            version: 1,
            key: &key("key-1"),
            response: &no_contact,
            anonymous: false,
            invitation: None,
        })
        .await
        .unwrap();
    assert_eq!(other_contact.outcome, Outcome::KeyReused, "the contact details are part of the response");
    assert_eq!(store.count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), 1);
    assert_eq!(store.answers(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), vec![answers("local")], "the first answers are kept");
});

on_both_engines!(a_submission_key_belongs_to_one_survey, |store: Store| async move {
    let mut other = survey();
    other.slug = canvass::Slug::parse("another-survey").unwrap();
    store.publish(&survey(), None).await.unwrap();
    store.publish(&other, None).await.unwrap();
    let here = insert(&store, "shared-key", "local").await;
    let response = response("local", None, Some("a@b.org"));
    let there = store
        .insert_response(&NewResponse {
            slug: &canvass::Slug::parse("another-survey").unwrap(),
            version: 1,
            key: &key("shared-key"),
            response: &response,
            anonymous: false,
            invitation: None,
        })
        .await
        .unwrap();
    assert_eq!((here.outcome, there.outcome), (Outcome::Created, Outcome::Created), "a new response in each survey");
    assert_ne!(here.receipt, there.receipt);
    assert_eq!(
        (store.count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), store.count(&canvass::Slug::parse("another-survey").unwrap()).await.unwrap()),
        (1, 1)
    );
});

on_both_engines!(concurrent_submissions_of_one_key_store_one_row, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    let store = std::sync::Arc::new(store);
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { insert(&store, "raced", "local").await })
        })
        .collect();
    let mut receipts = Vec::new();
    for task in tasks {
        receipts.push(task.await.unwrap().receipt);
    }
    receipts.dedup();
    assert_eq!(receipts.len(), 1, "every retry gets the same receipt");
    assert_eq!(store.count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), 1);
});

on_both_engines!(stored_answers_come_back_in_the_order_they_were_stored, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    for (i, org) in ["local", "health", "central", "education"].iter().enumerate() {
        insert(&store, &format!("k{i}"), org).await;
    }
    let orgs: Vec<Answer> = store.answers(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().into_iter().map(|a| a["org_type"].clone()).collect();
    assert_eq!(orgs, ["local", "health", "central", "education"].map(|o| Answer::Text(o.into())));
    assert!(store.answers(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().iter().all(|a| !a.contains_key("email")), "contact details are kept apart");
});

on_both_engines!(a_receipt_unlocks_only_its_own_survey, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    let stored = insert(&store, "k", "local").await;
    assert!(store.receipt_exists(&canvass::Slug::parse(SLUG).unwrap(), &stored.receipt).await.unwrap());
    assert!(!store.receipt_exists(&canvass::Slug::parse("another-survey").unwrap(), &stored.receipt).await.unwrap());
    assert!(!store.receipt_exists(&canvass::Slug::parse(SLUG).unwrap(), "forged").await.unwrap());
    store.ping().await.unwrap();
});

on_both_engines!(a_response_to_an_unpublished_version_is_refused_by_the_database, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    let response = response("local", None, None);
    let result = store
        .insert_response(&NewResponse {
            slug: &canvass::Slug::parse(SLUG).unwrap(),
            version: 99,
            key: &key("v99"),
            response: &response,
            anonymous: false,
            invitation: None,
        })
        .await;
    assert!(result.is_err(), "responses must answer a stored definition version");
    assert_eq!(store.count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), 0);
});

fn prepared(k: &str, org: &str, version: u32) -> server::storage::Prepared {
    let response = response(org, None, None);
    server::storage::Prepared::from(&NewResponse {
        slug: &canvass::Slug::parse(SLUG).unwrap(),
        version,
        key: &key(k),
        response: &response,
        anonymous: false,
        invitation: None,
    })
    .unwrap()
}

on_both_engines!(a_key_repeated_inside_one_batch_resolves_to_the_first_response, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    let batch = [prepared("dup", "local", 1), prepared("other", "local", 1), prepared("dup", "health", 1), prepared("dup", "local", 1)];
    let stored: Vec<_> = store.insert_batch(&batch).await.into_iter().map(Result::unwrap).collect();
    let outcomes: Vec<_> = stored.iter().map(|s| s.outcome).collect();
    assert_eq!(outcomes, [Outcome::Created, Outcome::Created, Outcome::KeyReused, Outcome::Repeated]);
    assert_eq!(stored[0].receipt, stored[3].receipt);
    assert_eq!(store.count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), 2);
    assert_eq!(store.answers(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap()[0], answers("local"), "the first answers win");
});

on_both_engines!(one_bad_response_does_not_sink_the_rest_of_its_batch, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    let results = store.insert_batch(&[prepared("good-1", "local", 1), prepared("bad", "local", 99), prepared("good-2", "health", 1)]).await;
    assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
    assert!(results[1].is_err(), "a response to an unpublished version is refused");
    assert_eq!(store.count(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), 2);
});

on_both_engines!(the_export_streams_every_response_in_storage_order, |store: Store| async move {
    use futures_util::StreamExt;
    store.publish(&survey(), None).await.unwrap();
    for (i, org) in ["local", "health", "central"].iter().enumerate() {
        insert(&store, &format!("x{i}"), org).await;
    }
    let rows: Vec<_> = store.rows(&canvass::Slug::parse(SLUG).unwrap(), server::storage::RowOrder::Stored).map(|r| r.unwrap()).collect().await;
    let orgs: Vec<String> = rows
        .iter()
        .map(|r| serde_json::from_str::<BTreeMap<String, Answer>>(&r.answers).unwrap()["org_type"].clone())
        .map(|a| match a {
            Answer::Text(t) => t,
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(orgs, ["local", "health", "central"]);
    assert!(rows.iter().all(|r| r.version == 1 && r.submitted_at.ends_with('Z')));
});

on_both_engines!(an_anonymous_surveys_rows_are_read_by_their_random_id_and_its_addresses_in_groups_of_five, |store: Store| async move {
    use futures_util::StreamExt;
    use server::storage::{Contacts, RowOrder};
    store.publish(&survey(), None).await.unwrap();
    let mut arrived = Vec::new();
    for i in 0..9 {
        let response = response("local", None, Some(&format!("person{i}@council.gov.uk")));
        let new = NewResponse {
            slug: &canvass::Slug::parse(SLUG).unwrap(),
            version: 1,
            key: &key(&format!("a{i}")),
            response: &response,
            anonymous: true,
            invitation: None,
        };
        arrived.push(store.insert_response(&new).await.unwrap().response_id);
        let shown = store.contact_details(&canvass::Slug::parse(SLUG).unwrap(), Contacts::Released).await.unwrap().len();
        assert_eq!(shown, if i < 4 { 0 } else { 5 }, "after {} addresses", i + 1);
        assert_eq!(
            store.contact_details(&canvass::Slug::parse(SLUG).unwrap(), Contacts::All).await.unwrap().len(),
            i + 1,
            "the findings go to all who asked"
        );
    }
    let ids: Vec<String> = store.rows(&canvass::Slug::parse(SLUG).unwrap(), RowOrder::Shuffled).map(|r| r.unwrap().id).collect().await;
    let mut by_id = arrived.clone();
    by_id.sort();
    assert_eq!(ids, by_id);
    assert_ne!(ids, arrived, "not arrival order (a 1 in 362,880 chance of failing by luck)");
});

on_both_engines!(anonymity_cannot_change_once_a_survey_has_a_response, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    let mut named = survey();
    named.anonymous = false;
    let pending = store.pending_changes(&named).await.unwrap();
    assert!(pending.structure.iter().any(|c| c.starts_with("anonymity: answers will be stored with who sent them")), "{pending:?}");
    insert(&store, "first", "local").await;
    match store.publish(&named, None).await {
        Err(PublishError::Refused { reasons, .. }) => {
            assert!(reasons[0].starts_with("`anonymous` cannot become false: this survey already has 1 response"), "{reasons:?}")
        }
        other => panic!("refused, not {other:?}"),
    }
    assert_eq!(store.live_definitions().await.unwrap()[0].version, 1);
});

on_both_engines!(organisers_and_their_sessions_are_stored_and_ended, |store: Store| async move {
    assert_eq!(store.organiser_count().await.unwrap(), 0);
    let id = store.add_organiser("a@example.org", "hash-1", true).await.unwrap().expect("added");
    assert!(store.add_organiser("a@example.org", "hash-2", false).await.unwrap().is_none(), "one account per address");
    let found = store.organiser_by_email("a@example.org").await.unwrap().unwrap();
    assert_eq!((found.id, found.password_hash.as_str(), found.must_change_password), (id, "hash-1", true));

    store.create_session("s1", id, 1_000).await.unwrap();
    store.create_session("s2", id, 1_000).await.unwrap();
    let session = store.session("s1").await.unwrap().unwrap();
    assert_eq!((session.email.as_str(), session.created_at, session.last_seen_at), ("a@example.org", 1_000, 1_000));
    store.touch_session("s1", 1_500).await.unwrap();
    assert_eq!(store.session("s1").await.unwrap().unwrap().last_seen_at, 1_500);

    store.set_password(id, "hash-3", false, Some("s1")).await.unwrap();
    assert!(store.session("s2").await.unwrap().is_none(), "a new password ends the other sessions");
    let session = store.session("s1").await.unwrap().unwrap();
    assert!(!session.must_change_password, "and keeps the one that changed it");
    store.delete_expired_sessions(1_501, 0).await.unwrap();
    assert!(store.session("s1").await.unwrap().is_none(), "idle sessions are removed");
});

on_both_engines!(an_account_waiting_for_its_password_loses_its_one_time_password_on_a_new_grant_and_with_its_last_role, |store: Store| async move {
    use canvass::Role;
    use server::auth::password::NO_PASSWORD;
    store.add_organiser("admin@example.org", "admin-hash", false).await.unwrap();
    let id = store.add_organiser("new@example.org", "one-time-1", true).await.unwrap().unwrap();
    let stored = &store;
    let hash = || async move { stored.organiser_by_email("new@example.org").await.unwrap().unwrap().password_hash };
    let record = store.organiser_by_email("new@example.org").await.unwrap().unwrap();
    assert!((server::storage::unix_ms() - record.password_set_at).abs() < 60_000, "when its password was set is kept");
    store.create_session("opened-with-it", id, 1_000).await.unwrap();
    store.add_password_link("link-1", id, i64::MAX).await.unwrap();

    assert!(
        store.grant_role(&canvass::Slug::parse(SLUG).unwrap(), id, Role::Viewer, "admin@example.org").await.unwrap(),
        "still waiting for its password"
    );
    assert_eq!(hash().await, NO_PASSWORD, "what was given before the grant is void");
    assert!(store.session("opened-with-it").await.unwrap().is_none(), "with the session opened with it");
    assert!(store.password_link_email("link-1", 0).await.unwrap().is_none(), "and the link sent for it");

    store.grant_role(&canvass::Slug::parse("other").unwrap(), id, Role::Viewer, "admin@example.org").await.unwrap();
    store.set_password(id, "one-time-2", true, None).await.unwrap();
    assert!(!store.remove_role(&canvass::Slug::parse("none-such").unwrap(), id).await.unwrap());
    assert!(store.remove_role(&canvass::Slug::parse("other").unwrap(), id).await.unwrap());
    assert_eq!(hash().await, "one-time-2", "kept while a role is left");
    assert!(store.remove_role(&canvass::Slug::parse(SLUG).unwrap(), id).await.unwrap());
    assert_eq!(hash().await, NO_PASSWORD, "void with the last role");

    // An account with a password of its own keeps it through grants and removals.
    let own = store.add_organiser("own@example.org", "own-hash", false).await.unwrap().unwrap();
    assert!(!store.grant_role(&canvass::Slug::parse(SLUG).unwrap(), own, Role::Analyst, "admin@example.org").await.unwrap());
    assert!(store.remove_role(&canvass::Slug::parse(SLUG).unwrap(), own).await.unwrap());
    assert_eq!(store.organiser_by_email("own@example.org").await.unwrap().unwrap().password_hash, "own-hash");
});

on_both_engines!(surveys_close_and_reopen_and_the_dashboard_reads_activity, |store: Store| async move {
    store.publish(&survey(), None).await.unwrap();
    assert!(store.closed_surveys().await.unwrap().is_empty());
    store.set_closed(&canvass::Slug::parse(SLUG).unwrap(), true, "a@example.org").await.unwrap();
    assert_eq!(store.closed_surveys().await.unwrap(), vec![SLUG.to_string()]);
    store.set_closed(&canvass::Slug::parse(SLUG).unwrap(), false, "a@example.org").await.unwrap();
    assert!(store.closed_surveys().await.unwrap().is_empty());

    assert_eq!(store.last_response_at(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap(), None);
    for (i, text) in ["first", "second", "third"].iter().enumerate() {
        let response = response("local", Some(text), None);
        store
            .insert_response(&NewResponse {
                slug: &canvass::Slug::parse(SLUG).unwrap(),
                version: 1,
                key: &key(&format!("t{i}")),
                response: &response,
                anonymous: false,
                invitation: None,
            })
            .await
            .unwrap();
    }
    insert(&store, "no-text", "health").await;
    assert!(store.last_response_at(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap().is_some());
    let quarters = store.responses_per_quarter_hour(&canvass::Slug::parse(SLUG).unwrap()).await.unwrap();
    assert_eq!(quarters.iter().map(|(_, _, n)| n).sum::<i64>(), 4);
    let (hour, quarter, _) = &quarters[0];
    assert_eq!(hour.len(), 13, "UTC hours as YYYY-MM-DDTHH: {hour}");
    assert!((0..4).contains(quarter), "quarter of the hour 0-3: {quarter}");
    let page: Vec<String> =
        store.text_answers(&canvass::Slug::parse(SLUG).unwrap(), "obstacle", 0, 2).await.unwrap().into_iter().map(|(_, t)| t).collect();
    assert_eq!(page, ["third", "second"], "newest first, only responses with text");
    let next: Vec<String> =
        store.text_answers(&canvass::Slug::parse(SLUG).unwrap(), "obstacle", 2, 2).await.unwrap().into_iter().map(|(_, t)| t).collect();
    assert_eq!(next, ["first"]);
});

on_both_engines!(drafts_are_saved_replaced_read_by_survey_and_expire, |store: Store| async move {
    store.write_drafts(&[save("d1", "[[\"org_type\",\"local\"]]", 1_000), save("d1", "[[\"org_type\",\"health\"]]", 1_100)]).await.unwrap();
    assert_eq!(store.draft("d1", &canvass::Slug::parse(SLUG).unwrap(), 0).await.unwrap().as_deref(), Some("[[\"org_type\",\"health\"]]"));
    assert_eq!(store.draft("d1", &canvass::Slug::parse("another-survey").unwrap(), 0).await.unwrap(), None, "a draft belongs to its survey");
    assert_eq!(store.draft("d1", &canvass::Slug::parse(SLUG).unwrap(), 1_101).await.unwrap(), None, "an expired draft is not read");
    store.write_drafts(&[save("d2", "[]", 500), save("d3", "[]", 700)]).await.unwrap();
    store.write_drafts(&[DraftWrite::Delete { token_hash: "d1".into() }]).await.unwrap();
    assert_eq!(store.draft("d1", &canvass::Slug::parse(SLUG).unwrap(), 0).await.unwrap(), None, "a stored response's draft is deleted");
    assert!(store.draft("d2", &canvass::Slug::parse(SLUG).unwrap(), 0).await.unwrap().is_some(), "deleting one draft leaves the others");
    store.sweep_drafts(600).await.unwrap();
    assert_eq!(store.draft("d2", &canvass::Slug::parse(SLUG).unwrap(), 0).await.unwrap(), None, "drafts past their expiry are swept");
    assert!(store.draft("d3", &canvass::Slug::parse(SLUG).unwrap(), 0).await.unwrap().is_some(), "drafts within their expiry are kept");
});

on_both_engines!(what_each_translation_was_made_from_is_recorded_on_publish_and_draft_and_replaced_by_key, |store: Store| async move {
    let definition = survey();
    store.publish(&definition, None).await.unwrap();
    let known = store.translated_from(SLUG, "cy").await.unwrap();
    assert_eq!(known.len(), definition.translations["cy"].len(), "publishing records every Welsh text against its English");
    let title = known.iter().find(|k| k.key == "title").unwrap();
    assert_eq!(
        (title.english.as_str(), title.translation.as_str()),
        ("Public Sector Social Media Survey", "Arolwg Cyfryngau Cymdeithasol y Sector Cyhoeddus")
    );

    // A draft whose English changed and whose Welsh did not: nothing recorded, so it is stale.
    let text = include_str!("../../surveys/public-sector-social-media.toml").replacen(
        "title = \"Public Sector Social Media Survey\"",
        "title = \"PSSMS 2027\"",
        1,
    );
    store.save_definition_draft(SLUG, &text, "owner@example.gov.uk", 1).await.unwrap();
    let known = store.translated_from(SLUG, "cy").await.unwrap();
    let draft = canvass::parse_draft("draft", &text).unwrap();
    assert_eq!(canvass::translated_from::english_changed(&draft, "cy", &known), vec!["title".to_string()]);

    // Confirmed: the record for the key is replaced, no other.
    let confirmed = canvass::translated_from::confirmed(&draft, "cy", &["title".to_string()]);
    store.record_translated_from(SLUG, "cy", &confirmed).await.unwrap();
    let after = store.translated_from(SLUG, "cy").await.unwrap();
    assert_eq!(after.len(), known.len());
    assert!(canvass::translated_from::english_changed(&draft, "cy", &after).is_empty());
    assert!(store.translated_from("another-survey", "cy").await.unwrap().is_empty(), "records belong to their survey");
});

on_both_engines!(a_large_export_keeps_storage_order_across_its_formatting_chunks, |store: Store| async move {
    // Storage order is a survey's that is not anonymous (an anonymous one's is below).
    let mut definition = survey();
    definition.anonymous = false;
    store.publish(&definition, None).await.unwrap();
    let orgs = ["local", "health", "central", "education"];
    let batch: Vec<_> = (0..4_500).map(|i| prepared(&format!("big-{i}"), orgs[i % orgs.len()], 1)).collect();
    let ids: Vec<String> = batch.iter().map(|p| p.id.clone()).collect();
    for chunk in batch.chunks(1_000) {
        for stored in store.insert_batch(chunk).await {
            stored.unwrap();
        }
    }
    let mut out = Vec::new();
    let mut reported = Vec::new();
    let written = server::organisers::export::write_csv(&store, &definition, &[], Default::default(), &mut out, |n| reported.push(n)).await.unwrap();
    assert_eq!(written, 4_500);
    assert_eq!(reported, [10_000u64; 0], "no progress line under 10,000 rows");
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let exported: Vec<(String, String)> = reader.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[4].to_string())).collect();
    assert_eq!(exported.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), ids, "every row, in storage order");
    assert!(exported.iter().enumerate().all(|(i, (_, org))| org == orgs[i % orgs.len()]), "each row holds its own answers");
});

on_both_engines!(a_large_anonymous_export_comes_by_random_id_across_its_formatting_chunks, |store: Store| async move {
    let definition = survey();
    assert!(definition.anonymous);
    store.publish(&definition, None).await.unwrap();
    let orgs = ["local", "health", "central", "education"];
    let batch: Vec<_> = (0..4_500).map(|i| prepared(&format!("big-{i}"), orgs[i % orgs.len()], 1)).collect();
    let own: std::collections::HashMap<String, &str> = batch.iter().enumerate().map(|(i, p)| (p.id.clone(), orgs[i % orgs.len()])).collect();
    for chunk in batch.chunks(1_000) {
        for stored in store.insert_batch(chunk).await {
            stored.unwrap();
        }
    }
    let mut out = Vec::new();
    let written = server::organisers::export::write_csv(&store, &definition, &[], Default::default(), &mut out, |_| {}).await.unwrap();
    assert_eq!(written, 4_500);
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let exported: Vec<(String, String)> = reader.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[4].to_string())).collect();
    let ids: Vec<String> = exported.iter().map(|(id, _)| id.clone()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "by response id, across chunks");
    assert_eq!(ids.len(), own.len());
    assert!(exported.iter().all(|(id, org)| own[id] == org), "each row holds its own answers");
});

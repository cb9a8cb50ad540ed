//! Where a survey's panel stands, in words, for `canvass invite status`.

use canvass::panel_counts::{rate, PanelCounts, QueueCounts};

use crate::storage::RELEASE_GROUP;

pub fn lines(panel: &PanelCounts, queue: &QueueCounts, anonymous: bool) -> Vec<String> {
    let mut lines = vec![
        format!("Panel: {} contacts, {} invited", panel.contacts, panel.invited),
        format!("Responded: {} ({} of those invited)", panel.responded, rate(panel.responded, panel.invited)),
    ];
    if anonymous && panel.invited > 0 {
        // Never how many wait: that number would move by one as each invitee answered.
        lines.push(format!(
            "  on an anonymous survey responses are marked in groups of at least {RELEASE_GROUP}: up to {} more may have responded",
            RELEASE_GROUP - 1
        ));
    }
    lines.push(format!("Bounced: {}   Unsubscribed: {}", panel.bounced, panel.unsubscribed));
    lines.push(format!(
        "Email: {} waiting, {} sending, {} sent, {} failed, {} uncertain",
        queue.queued, queue.sending, queue.sent, queue.failed, queue.uncertain
    ));
    if queue.uncertain > 0 {
        lines.push(format!(
            "  {} uncertain: a server stopped while handing them to the mail server, so they may or may not have \
             arrived; they are not sent again on their own",
            queue.uncertain
        ));
    }
    if !panel.by_organisation.is_empty() {
        lines.push("By organisation (invited, responded, rate):".into());
        for (organisation, invited, responded) in &panel.by_organisation {
            lines.push(format!("  {organisation}: {invited}, {responded}, {}", rate(*responded, *invited)));
        }
    }
    for by in &panel.by_column {
        lines.push(format!("By {} (invited, responded, rate):", by.column));
        for (value, invited, responded) in &by.groups {
            lines.push(format!("  {value}: {invited}, {responded}, {}", rate(*responded, *invited)));
        }
    }
    lines
}

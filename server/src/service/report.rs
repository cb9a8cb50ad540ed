//! What a survey's report is written from: the live totals the dashboard shows, the days
//! of fieldwork, and every closed question by organisation type counted from the stored
//! responses.

use canvass::pages::ReportData;
use canvass::{Kind, Results, Slug};

use super::Service;

impl Service {
    /// The report's data; `None` when there is no survey at `slug`. `each_response`: as
    /// for [`Service::totals`].
    pub async fn report(&self, slug: &Slug, each_response: bool) -> anyhow::Result<Option<ReportData>> {
        let (Some(definition), Some(results)) = (self.catalog.get(slug), self.totals(slug, each_response)) else {
            return Ok(None);
        };
        // The report is for publishing: the small groups go, as on every public page.
        let results = results.published();
        let per_day = self.zone.per_day(&self.store.responses_per_quarter_hour(slug).await?);
        let fieldwork = per_day.first().zip(per_day.last()).map(|((first, _), (last, _))| (self.zone.long_day(first), self.zone.long_day(last)));
        let breakdown = crate::organisers::export::crosstab(&self.store, &definition).await?.map(|c| c.table(&definition));
        Ok(Some(ReportData {
            results,
            open: self.state(slug, false).figures_provisional(),
            fieldwork,
            zone: self.zone.name().to_string(),
            population: definition.population,
            anonymous: definition.anonymous,
            open_access: definition.access == canvass::mail_text::Access::Open,
            breakdown,
            segment_question: definition.segment_by.as_deref().and_then(|q| definition.question(q)).map(|q| q.short.clone()),
            free_text_questions: definition.questions().filter(|q| matches!(q.kind, Kind::Text { .. })).count(),
        }))
    }

    /// One chart of the report as a standalone SVG file: `gap` or a closed or number question's id.
    /// `None` when the survey or the chart does not exist.
    pub fn chart(&self, slug: &Slug, chart: &str, each_response: bool) -> Option<String> {
        let results: Results = self.totals(slug, each_response)?.published();
        if chart == "gap" {
            let definition = self.catalog.get(slug)?;
            let rows = canvass::gap::gap_figures(&results, &definition);
            return results.gap.as_ref().map(|g| canvass::chart_svg::gap_chart(&g.title, &rows, "chart-gap"));
        }
        let question = results.questions.iter().find(|q| q.id == chart)?;
        Some(canvass::chart_svg::question_chart(question, &format!("chart-{}", question.id)))
    }
}

//! Made-up data for every template, so `validate` can render each one in
//! strict mode against every role, with every list non-empty, and catch a
//! field a template uses that does not exist.

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::AccessLink;
use crate::access::{self, AccessRequest, Event, Filed, FiledIssue, Preview, QuickAction};
use crate::gitlab::Server;
use crate::hire::{Field as HireField, FullName, Hire, Selection, Username};
use crate::onboarding;
use crate::plan::Checklist;
use crate::render;
use crate::status::{assess, Evidence, Reminder, TaskRef};
use crate::view::{
    named_systems, BatchSummary, BatchTable, ChecklistPage, ChecklistStatus, ChecklistTools,
    FilingStatus, FilingSummary, HireSummary, PreviewView, RoleText, RoleView, RolesList,
    SkippedRow, ToolView, ToolsList, WizardSummary,
};
use crate::view::{OnboardingView, StatusPage, StatusTable};
use crate::workspace::Workspace;

/// One template with data to render it with.
pub(super) struct Sample {
    /// The template's name, e.g. `checklist.md`.
    pub template: &'static str,
    /// Its data, as the renderer sees it.
    pub data: serde_json::Value,
}

fn sample(template: &'static str, data: &impl Serialize) -> Sample {
    Sample {
        template,
        data: serde_json::to_value(data).unwrap_or_default(),
    }
}

/// A made-up hire of `selection`'s role, starting on a business day.
fn sample_hire(selection: Selection, workspace: &Workspace) -> Hire {
    let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default();
    let user = |name: &str| Username::parse(HireField::Username, name).ok();
    Hire {
        name: "Sample Hire"
            .parse::<FullName>()
            .expect("a constant, valid name"),
        email: "sample.hire@example.com".parse().ok(),
        username: user("sample.hire"),
        start: workspace.calendar.business_day_on_or_after(monday),
        manager: user("sample.manager"),
        buddy: user("sample.buddy"),
        selection,
        calendar: std::sync::Arc::clone(&workspace.calendar),
        access_until: None,
    }
}

/// `status`'s table, page and reminder for a hire whose every task is overdue.
fn status_samples(checklist: &Checklist, workspace: &Workspace) -> Vec<Sample> {
    let as_of = checklist.due;
    let evidence = Evidence {
        name: Some(checklist.hire.name.clone()),
        email: checklist.hire.email.clone().unwrap_or_default(),
        start: Some(checklist.start),
        planned: vec![("clari".to_string(), "Clari".to_string())],
        planned_tasks: checklist
            .tasks()
            .map(|t| TaskRef {
                task: t.title.to_string(),
                owner: t.owner.clone(),
                username: Some("sample.manager".to_string()),
                due: t.date,
                done_when: t.done_when,
                done: false,
            })
            .collect(),
        ..Evidence::default()
    };
    let mut status = assess(evidence, as_of, &workspace.calendar, &workspace.catalog);
    status.onboarding.url = Some("https://gitlab.example.com/onboarding/-/issues/1".to_string());
    // Opened on day 1, so the tasks due before it make a catch-up line.
    status.onboarding.opened = Some(checklist.start);
    let hires = [status];
    let mut samples = vec![
        sample(render::STATUS_TABLE, &StatusTable::of(&hires, as_of, true)),
        sample(render::STATUS_PAGE, &StatusPage::of(&hires, as_of)),
    ];
    if let Some(reminder) = Reminder::of(&hires[0], as_of, &workspace.calendar) {
        samples.push(sample(render::REMINDER, &reminder));
    }
    samples
}

/// Data for every template: the lists and summaries once, the per-hire
/// templates for every role.
pub(super) fn samples(workspace: &Workspace) -> Vec<Sample> {
    let catalog = &workspace.catalog;
    let plans = workspace.plans();
    let mut samples = vec![
        sample(render::ROLES_LIST, &RolesList::of(catalog)),
        sample(render::TOOLS_LIST, &ToolsList::of(catalog)),
    ];
    for tool in catalog.tools() {
        samples.push(sample(render::TOOL_SHOW, &ToolView::of(catalog, tool)));
    }
    samples.push(batch_summary_sample());
    let server = Server::parse("https://gitlab.example.com").expect("a constant, valid address");
    for role in catalog.roles() {
        samples.push(sample(render::ROLE_SHOW, &RoleView::of(catalog, role)));
        let selection = Selection {
            role: role.id.clone(),
            with: Vec::new(),
            without: Vec::new(),
        };
        let hire = sample_hire(selection, workspace);
        let checklist = plans.checklist(&hire);
        samples.extend(checklist_samples(&checklist, workspace));
        samples.extend(status_samples(&checklist, workspace));
        let plan = plans.role_plan(&hire.selection);
        let Ok(Some(request)) = access::plan(&hire, &plan, &workspace.request_defaults) else {
            continue;
        };
        samples.extend(access_samples(&request, workspace, &server));
    }
    samples
}

/// The batch summary's table, with a failed hire and a skipped row.
fn batch_summary_sample() -> Sample {
    let failed = HireSummary {
        line: 2,
        name: "Sample Hire".to_string(),
        email: "sample.hire@example.com".to_string(),
        role: String::new(),
        start: String::new(),
        checklist: "sample-hire.md".to_string(),
        checklist_status: ChecklistStatus::Written,
        tasks: 1,
        access: FilingSummary {
            error: Some("a sample failure".to_string()),
            ..FilingSummary::new(FilingStatus::Failed)
        },
        onboarding: Some(FilingSummary {
            error: Some("a sample failure".to_string()),
            ..FilingSummary::new(FilingStatus::Failed)
        }),
    };
    let skipped = SkippedRow {
        line: 3,
        email: None,
        problems: vec!["name: is empty".to_string()],
    };
    let summary =
        BatchSummary::of("roster.csv", "out", true, true, vec![failed]).skipping(vec![skipped]);
    sample(
        render::BATCH_SUMMARY,
        &BatchTable::new(
            &summary,
            vec!["roster.csv:3: name: is empty".to_string()],
            vec!["updated: sample-hire.md".to_string()],
            2,
        ),
    )
}

/// The checklist, its tools table, the wizard's summary and the
/// onboarding issue of one hire's checklist.
fn checklist_samples(checklist: &Checklist, workspace: &Workspace) -> Vec<Sample> {
    let mut samples = Vec::new();
    let structured = !workspace.renderer.is_stock(render::CHECKLIST);
    let shared = RoleText::of(&checklist.plan, String::new());
    samples.push(sample(
        render::CHECKLIST,
        &ChecklistPage::of(checklist, &shared, structured),
    ));
    samples.push(sample(
        render::CHECKLIST_TOOLS,
        &ChecklistTools::of(&checklist.plan),
    ));
    samples.push(sample(
        render::WIZARD_SUMMARY,
        &WizardSummary::of(checklist),
    ));
    let links = [AccessLink {
        url: "https://gitlab.example.com/it/access-requests/-/issues/1".to_string(),
        iid: 1,
        systems: vec!["Clari".to_string()],
        ids: vec!["clari".to_string()],
    }];
    let markers = onboarding::task_markers(checklist);
    samples.push(sample(
        render::ONBOARDING_ISSUE,
        &OnboardingView::of(checklist, &links, markers),
    ));
    samples
}

/// The access request of a hire: planned, as an issue, filed and previewed.
fn access_samples(request: &AccessRequest, workspace: &Workspace, server: &Server) -> Vec<Sample> {
    let catalog = &workspace.catalog;
    let mut samples = Vec::new();
    samples.push(sample(render::ACCESS_PLAN, request));
    samples.push(sample(render::ACCESS_REQUEST, request));
    let url = "https://gitlab.example.com/it/access-requests/-/issues/1".to_string();
    let created = FiledIssue {
        url: url.clone(),
        iid: 1,
        systems: request.system_ids(),
        created: true,
        quick_action: QuickAction::None,
    };
    let found = FiledIssue {
        created: false,
        ..created.clone()
    };
    let result = Filed {
        key: request.key.clone(),
        issues: vec![created, found.clone()],
        events: vec![
            Event::ClosedDuplicate {
                url: url.clone(),
                iid: 2,
                kept: 1,
            },
            Event::Updated {
                url: url.clone(),
                iid: 1,
                reason: "the start date moved from 2026-12-07 to 2026-12-14".to_string(),
            },
            Event::Untrusted {
                url: url.clone(),
                iid: 3,
                author: "someone".to_string(),
            },
            Event::Gone { url },
        ],
    };
    samples.push(sample(
        render::ACCESS_RESULT,
        &named_systems(catalog, &result),
    ));
    if let Ok(mut preview) = Preview::offline(request, &workspace.renderer) {
        preview.existing = vec![found];
        let with_create = PreviewView::of(
            &request.hire.name,
            std::slice::from_ref(&request.assignee),
            preview.clone(),
            server,
            "it/access-requests",
        );
        samples.push(sample(render::ACCESS_PREVIEW, &with_create));
        preview.create = None;
        let without = PreviewView::of(
            &request.hire.name,
            std::slice::from_ref(&request.assignee),
            preview,
            server,
            "it/access-requests",
        );
        samples.push(sample(render::ACCESS_PREVIEW, &without));
    }
    samples
}

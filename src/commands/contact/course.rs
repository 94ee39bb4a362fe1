//! `rekisteri contact course`: courses a person completed. A customer's representative who
//! takes a course is the usual student, so any category may have courses; the course records'
//! own retention rule keeps them (and the person) for its time.

use crate::model::audit::Action;
use chrono::NaiveDate;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::time::format_date;
use crate::store::{audit, contacts, history};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The person who took it: their id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// The course's name
    #[arg(long, value_name = "NAME")]
    pub course: String,
    /// When it was completed, YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub completed: NaiveDate,
    /// The grade, as the course gives it (e.g. 5, pass, hyväksytty)
    #[arg(long, value_name = "TEXT")]
    pub grade: Option<String>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let course = super::required_text("--course", &args.course, 200)?;
    let grade = super::optional_text("--grade", args.grade.as_deref(), 50)?;
    let completed = super::past_date("--completed", args.completed, ctx.today())?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, course_id) = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let course_id = history::insert_course(tx, id, &course, completed, grade.as_deref(), &now)?;
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ContactCourse,
            &audit::ObjectIds::of("contact", id)
                .and("course", course_id)
                .render(),
            "",
        )?;
        Ok((id, course_id))
    })?;
    ctx.status(format!(
        "contact {id}: recorded course {course_id} completed on {}",
        format_date(&completed)
    ));
    Ok(())
}

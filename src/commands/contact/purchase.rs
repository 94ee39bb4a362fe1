//! `rekisteri contact purchase`: purchase and payment history.

use crate::model::audit::Action;
use chrono::NaiveDate;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::history::Payment;
use crate::model::time::format_date;
use crate::model::validate::format_cents;
use crate::store::{audit, contacts, history};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact: their id or e-mail address
    #[arg(value_name = "ID|EMAIL")]
    pub contact: String,
    /// What was bought
    #[arg(long, value_name = "TEXT")]
    pub item: String,
    /// The price in euros, e.g. 120.50 or 120,50
    #[arg(long, value_name = "EUR", value_parser = super::amount_arg, allow_hyphen_values = true)]
    pub amount: Option<i64>,
    /// How it was paid
    #[arg(long, value_enum)]
    pub payment: Option<Payment>,
    /// When, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub date: Option<NaiveDate>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let item = super::required_text("--item", &args.item, 500)?;
    let today = ctx.today();
    let date = super::past_date("--date", args.date.unwrap_or(today), today)?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, purchase) = store.write(|tx| {
        let id = contacts::resolve(tx, &args.contact)?;
        let purchase =
            history::insert_purchase(tx, id, date, &item, args.amount, args.payment, &now)?;
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ContactPurchase,
            &audit::ObjectIds::of("contact", id)
                .and("purchase", purchase)
                .render(),
            "",
        )?;
        Ok((id, purchase))
    })?;
    let amount = args
        .amount
        .map(|c| format!(", {} €", format_cents(c)))
        .unwrap_or_default();
    ctx.status(format!(
        "contact {id}: recorded purchase {purchase} on {}{amount}",
        format_date(&date)
    ));
    Ok(())
}

//! `rekisteri contact add`

use crate::model::audit::Action;
use std::io::Write;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::contact::{Category, ContactDraft, Source};
use crate::store::{audit, contacts, suppressions};

/// The contact's fields, shared by `add` and `edit`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Fields {
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
    /// E-mail address (unique, case-insensitively)
    #[arg(long)]
    pub email: Option<String>,
    /// Phone; Finnish numbers are normalised to +358… (040 123 4567 → +358401234567)
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    /// Finnish business ID (Y-tunnus), e.g. 1234567-1; the check digit is verified
    #[arg(long)]
    pub business_id: Option<String>,
    #[arg(long)]
    pub position: Option<String>,
    #[arg(long)]
    pub street: Option<String>,
    #[arg(long)]
    pub postal_code: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub customer_number: Option<String>,
    /// Birth date YYYY-MM-DD (course students only, where needed to identify them)
    #[arg(long, value_name = "DATE")]
    pub birth_date: Option<String>,
    /// Category of relationship [default on add: customer]
    #[arg(long, value_enum)]
    pub category: Option<Category>,
    /// Where the data came from [default on add: direct]
    #[arg(long, value_enum)]
    pub source: Option<Source>,
    /// When the relationship began, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub started: Option<String>,
    /// Free text the person gave themselves
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
}

impl Fields {
    /// Overlays the given flags on `base` (an empty draft for add, the stored one for edit).
    pub fn apply_to(&self, base: &mut ContactDraft) {
        let set = |dst: &mut Option<String>, v: &Option<String>| {
            if let Some(v) = v {
                *dst = Some(v.clone());
            }
        };
        set(&mut base.first_name, &self.first_name);
        set(&mut base.last_name, &self.last_name);
        set(&mut base.email, &self.email);
        set(&mut base.phone, &self.phone);
        set(&mut base.company, &self.company);
        set(&mut base.business_id, &self.business_id);
        set(&mut base.position, &self.position);
        set(&mut base.street, &self.street);
        set(&mut base.postal_code, &self.postal_code);
        set(&mut base.city, &self.city);
        set(&mut base.customer_number, &self.customer_number);
        set(&mut base.birth_date, &self.birth_date);
        set(&mut base.started, &self.started);
        set(&mut base.notes, &self.notes);
        if let Some(c) = self.category {
            base.category = Some(c.as_str().to_string());
        }
        if let Some(s) = self.source {
            base.source = Some(s.as_str().to_string());
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub fields: Fields,
    /// The person was erased and has come back themselves: take the address off the
    /// suppression list (recorded in the audit trail)
    #[arg(long)]
    pub returning: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<()> {
    let mut draft = ContactDraft::default();
    args.fields.apply_to(&mut draft);
    let data = draft
        .validate(ctx.today())
        .map_err(super::super::flag_errors)?;
    let mut store = ctx.open()?;
    let now = ctx.now_str();
    let (id, lifted) = store.write(|tx| {
        let suppressed = suppressions::Lookup::new(tx)?.find(tx, &data.email)?;
        let detail = match &suppressed {
            Some((_, s)) if !args.returning => {
                return Err(Error::Refused(format!(
                    "{} was {}",
                    data.email,
                    s.refusal()
                )))
            }
            Some((key, s)) => {
                suppressions::lift(tx, key)?;
                format!(
                    "returning: suppression lifted (erased_on={}{})",
                    s.erased_on,
                    s.request
                        .as_deref()
                        .map(|r| format!(" request={r}"))
                        .unwrap_or_default()
                )
            }
            None => String::new(),
        };
        let id = contacts::insert(tx, &data, &now)?;
        audit::append(
            tx,
            &now,
            &ctx.operator,
            Action::ContactAdd,
            &format!("contact:{id}"),
            &detail,
        )?;
        Ok((id, suppressed.is_some()))
    })?;
    writeln!(std::io::stdout(), "{id}")?;
    if lifted {
        ctx.status(format!(
            "added contact {id}; the address is off the suppression list (the person came back)"
        ));
    } else {
        ctx.status(format!("added contact {id}"));
    }
    Ok(())
}

//! A checklist file as written (TOML), and its compilation into [`Item`]s: each kind of item takes
//! the parts its rule needs and no others, so a typo or a misplaced condition stops the sandbox at
//! start-up instead of silently never matching.

use serde::Deserialize;

use crate::sandbox::bank::callbacks::drill::case::Case;
use crate::sandbox::gateway::readiness::checklist::{Applies, Compare, Item, Rule};
use crate::sandbox::gateway::readiness::{
    fields::Fields,
    matcher::{Matcher, RawMatcher},
};

#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    #[default]
    Outcome,
    FollowUp,
    RetryAfter,
    ChangedRetry,
    TokenRefresh,
    Callback,
    Drill,
}

/// A checklist file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFamily {
    pub family: String,
    /// The checklist applies to every app, whatever its scopes (`family` is then its own name).
    #[serde(default, rename = "every-app")]
    pub every_app: bool,
    pub name: String,
    pub tag: String,
    pub guide: String,
    #[serde(rename = "item")]
    pub items: Vec<RawItem>,
}

/// One item, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub id: String,
    title: String,
    how: String,
    #[serde(default)]
    kind: Kind,
    #[serde(default)]
    applies: Applies,
    upcoming: Option<String>,
    after: Option<RawMatcher>,
    proof: Option<RawMatcher>,
    wrong: Option<RawMatcher>,
    why: Option<String>,
    compare: Option<Compare>,
    callback: Option<String>,
    drill: Option<String>,
}

/// Compiles one part of an item; `keyed`: it may name `key` and `same` (follow-ups only).
fn part(
    m: Option<RawMatcher>,
    name: &str,
    keyed: bool,
    (request, answer): (&mut Fields, &mut Fields),
) -> Result<Option<Matcher>, String> {
    let Some(m) = m else { return Ok(None) };
    if !keyed && (!m.same.is_empty() || !m.key.clone().into_vec().is_empty()) {
        return Err(format!(
            "`{name}`: `key` and `same` belong to follow-up items"
        ));
    }
    Matcher::compile(m, request, answer)
        .map(Some)
        .map_err(|e| format!("`{name}`: {e}"))
}

pub fn compile_item(raw: RawItem, fields: (&mut Fields, &mut Fields)) -> Result<Item, String> {
    let (request, answer) = fields;
    let mut compile = |m: Option<RawMatcher>, name: &str, keyed: bool| {
        part(m, name, keyed, (&mut *request, &mut *answer))
    };
    let need = |m: Option<Matcher>, part: &str| m.ok_or_else(|| format!("needs `{part}`"));
    let unused = |present: bool, part: &str| -> Result<(), String> {
        if present {
            Err(format!("`{part}` does not apply to this kind"))
        } else {
            Ok(())
        }
    };
    only_for_its_kind(&raw)?;
    let rule = match raw.kind {
        Kind::Outcome => {
            unused(raw.after.is_some() || raw.wrong.is_some(), "after/wrong")?;
            Rule::Outcome {
                proof: need(compile(raw.proof, "proof", false)?, "proof")?,
            }
        }
        Kind::FollowUp => {
            let after = need(compile(raw.after, "after", true)?, "after")?;
            let proof = need(compile(raw.proof, "proof", true)?, "proof")?;
            let wrong = compile(raw.wrong, "wrong", true)?.map(Box::new);
            if after.key.is_empty() || proof.key.is_empty() {
                return Err("`after` and `proof` need a `key`".into());
            }
            if wrong.as_ref().is_some_and(|w| w.same.is_empty()) {
                return Err("`wrong` needs `same`: what makes it the same request again".into());
            }
            Rule::FollowUp {
                after,
                proof,
                wrong,
            }
        }
        Kind::RetryAfter => {
            unused(raw.proof.is_some() || raw.wrong.is_some(), "proof/wrong")?;
            Rule::RetryAfter {
                after: need(compile(raw.after, "after", false)?, "after")?,
            }
        }
        Kind::ChangedRetry => {
            unused(raw.proof.is_some() || raw.wrong.is_some(), "proof/wrong")?;
            Rule::ChangedRetry {
                after: need(compile(raw.after, "after", false)?, "after")?,
                compare: raw.compare.ok_or("needs `compare`")?,
            }
        }
        Kind::TokenRefresh | Kind::Callback | Kind::Drill => {
            unused(
                raw.after.is_some() || raw.proof.is_some() || raw.wrong.is_some(),
                "after/proof/wrong",
            )?;
            match raw.kind {
                Kind::TokenRefresh => Rule::TokenRefresh,
                Kind::Drill => Rule::Drill {
                    case: drill_case(raw.drill)?,
                },
                _ => Rule::Callback {
                    kind: raw.callback.ok_or("needs `callback`: the callback kind")?,
                },
            }
        }
    };
    why_if_done_wrong(&rule, raw.why.is_some())?;
    Ok(Item {
        id: raw.id,
        title: raw.title,
        how: raw.how,
        applies: raw.applies,
        upcoming: raw.upcoming,
        rule,
        why: raw.why,
    })
}

/// `callback`, `compare` and `drill` belong to one kind each: anywhere else they are a mistake.
fn only_for_its_kind(raw: &RawItem) -> Result<(), String> {
    for (present, kind, part) in [
        (raw.callback.is_some(), Kind::Callback, "callback"),
        (raw.compare.is_some(), Kind::ChangedRetry, "compare"),
        (raw.drill.is_some(), Kind::Drill, "drill"),
    ] {
        if present && raw.kind != kind {
            return Err(format!("`{part}` does not apply to this kind"));
        }
    }
    Ok(())
}

/// An item that can be graded done-wrong says why (`why`); one that cannot has no `why`.
fn why_if_done_wrong(rule: &Rule, has_why: bool) -> Result<(), String> {
    let grades_wrong = match rule {
        Rule::FollowUp { wrong, .. } => wrong.is_some(),
        Rule::RetryAfter { .. }
        | Rule::ChangedRetry { .. }
        | Rule::Callback { .. }
        | Rule::Drill { .. } => true,
        Rule::Outcome { .. } | Rule::TokenRefresh => false,
    };
    if grades_wrong == has_why {
        Ok(())
    } else if grades_wrong {
        Err("needs `why`: what a done-wrong grade means".into())
    } else {
        Err("`why` is for items that can be done wrong".into())
    }
}

/// A drill item's case, one the drill runs.
fn drill_case(case: Option<String>) -> Result<String, String> {
    let case = case.ok_or("needs `drill`: the drill's case")?;
    match Case::parse(&case) {
        Some(_) => Ok(case),
        None => {
            let cases: Vec<&str> = Case::ALL.iter().map(|c| c.name()).collect();
            Err(format!("no drill case `{case}`: use {}", cases.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Checklists;

    #[test]
    fn bad_files_are_refused_with_the_reason() {
        let bad = |text: &str| Checklists::compile(&[("t.toml", text)]).unwrap_err();
        let head = "family = \"trade\"\nname = \"T\"\ntag = \"Trade\"\nguide = \"g\"\n";
        assert!(
            bad("family = \"nope\"\nname=\"\"\ntag=\"\"\nguide=\"\"\nitem=[]")
                .contains("no family")
        );
        let no_proof = format!("{head}[[item]]\nid = \"a\"\ntitle = \"t\"\nhow = \"h\"\n");
        assert!(
            bad(&no_proof).contains("needs `proof`"),
            "{}",
            bad(&no_proof)
        );
        let no_key = format!(
            "{head}[[item]]\nid = \"a\"\ntitle = \"t\"\nhow = \"h\"\nkind = \"follow-up\"\n\
             after = {{ operation = \"x\" }}\nproof = {{ operation = \"y\" }}\n"
        );
        assert!(bad(&no_key).contains("need a `key`"), "{}", bad(&no_key));
        let no_why = format!(
            "{head}[[item]]\nid = \"a\"\ntitle = \"t\"\nhow = \"h\"\nkind = \"retry-after\"\n\
             after = {{ status = 429 }}\n"
        );
        assert!(bad(&no_why).contains("needs `why`"), "{}", bad(&no_why));
        let typo = format!(
            "{head}[[item]]\nid = \"a\"\ntitle = \"t\"\nhow = \"h\"\nproof = {{ statsu = 1 }}\n"
        );
        assert!(bad(&typo).contains("statsu"), "{}", bad(&typo));
    }
}

//! `GET /sandbox/readiness?format=junit`: the report as JUnit XML, so that a partner's CI can gate on
//! it. One `testsuite` per family, one `testcase` per item: proven passes; done wrong is a `failure`;
//! not yet is `skipped` by default — the build stays green while the partner works through the list
//! and turns red on a mistake — or a `failure` with `notYet=failure`, the gate for go-live.

use quick_xml::{
    events::{BytesDecl, BytesText, Event},
    Writer,
};

use super::report::{FamilyReport, ItemReport, ItemState, Proof, ReadinessReport};

/// How `notYet` items appear in JUnit.
#[derive(poem_openapi::Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[oai(rename_all = "lowercase")]
pub enum NotYetAs {
    /// `<skipped>`: the build passes while items remain (the default).
    #[default]
    Skipped,
    /// `<failure>`: the build fails until every item is proven.
    Failure,
}

type Xml = Writer<Vec<u8>>;
type XmlResult = Result<(), quick_xml::Error>;

/// The report as a JUnit XML document.
pub fn render(report: &ReadinessReport, not_yet: NotYetAs) -> String {
    let mut xml = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail.
    let _ = document(&mut xml, report, not_yet);
    String::from_utf8(xml.into_inner()).unwrap_or_default()
}

fn document(xml: &mut Xml, report: &ReadinessReport, not_yet: NotYetAs) -> XmlResult {
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let (tests, failures, skipped) = counts(report.families.iter(), not_yet);
    xml.create_element("testsuites")
        .with_attribute((
            "name",
            format!("sandbank readiness: {}", report.app).as_str(),
        ))
        .with_attribute(("tests", tests.to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .with_attribute(("errors", "0"))
        .with_attribute(("skipped", skipped.to_string().as_str()))
        .write_inner_content(|xml| {
            report
                .families
                .iter()
                .try_for_each(|family| suite(xml, family, not_yet))
        })?;
    Ok(())
}

fn counts<'a>(
    families: impl Iterator<Item = &'a FamilyReport>,
    not_yet: NotYetAs,
) -> (u32, u32, u32) {
    families.fold((0, 0, 0), |(tests, failures, skipped), family| {
        let s = family.summary;
        let (failing, skipping) = match not_yet {
            NotYetAs::Skipped => (s.done_wrong, s.not_yet),
            NotYetAs::Failure => (s.done_wrong + s.not_yet, 0),
        };
        (tests + s.total, failures + failing, skipped + skipping)
    })
}

fn suite(xml: &mut Xml, family: &FamilyReport, not_yet: NotYetAs) -> XmlResult {
    let (tests, failures, skipped) = counts(std::iter::once(family), not_yet);
    xml.create_element("testsuite")
        .with_attribute(("name", family.family.as_str()))
        .with_attribute(("tests", tests.to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .with_attribute(("errors", "0"))
        .with_attribute(("skipped", skipped.to_string().as_str()))
        .write_inner_content(|xml| {
            xml.create_element("properties")
                .write_inner_content(|xml| {
                    for (name, value) in [
                        ("name", family.name.as_str()),
                        ("guide", family.guide.as_str()),
                        ("reference", family.reference.as_str()),
                    ] {
                        xml.create_element("property")
                            .with_attribute(("name", name))
                            .with_attribute(("value", value))
                            .write_empty()?;
                    }
                    Ok::<(), quick_xml::Error>(())
                })?;
            family
                .items
                .iter()
                .try_for_each(|item| case(xml, &family.family, item, not_yet))
        })?;
    Ok(())
}

fn case(xml: &mut Xml, family: &str, item: &ItemReport, not_yet: NotYetAs) -> XmlResult {
    let name = format!("{}: {}", item.id, item.title);
    let testcase = xml
        .create_element("testcase")
        .with_attribute(("classname", format!("readiness.{family}").as_str()))
        .with_attribute(("name", name.as_str()));
    testcase.write_inner_content(|xml| {
        match item.state {
            ItemState::Proven => {
                let proof = item.proof.as_ref().map(described).unwrap_or_default();
                xml.create_element("system-out")
                    .write_text_content(BytesText::new(&format!("proven: {proof}")))?;
            }
            ItemState::DoneWrong => {
                let wrong = item.wrong.as_ref();
                let message = wrong
                    .and_then(|w| w.note.clone())
                    .unwrap_or_else(|| "done wrong".into());
                let detail = format!(
                    "done wrong: {}\nhow to exercise it: {}",
                    wrong.map(described).unwrap_or_default(),
                    item.how
                );
                xml.create_element("failure")
                    .with_attribute(("type", "doneWrong"))
                    .with_attribute(("message", message.as_str()))
                    .write_text_content(BytesText::new(&detail))?;
            }
            ItemState::NotYet => {
                let message = format!("not yet: {}", item.how);
                let element = match not_yet {
                    NotYetAs::Skipped => "skipped",
                    NotYetAs::Failure => "failure",
                };
                xml.create_element(element)
                    .with_attribute(("type", "notYet"))
                    .with_attribute(("message", message.as_str()))
                    .write_empty()?;
            }
        }
        Ok::<(), quick_xml::Error>(())
    })?;
    Ok(())
}

/// `requests 31, 33 (seen 2 times)`.
fn described(proof: &Proof) -> String {
    let mut parts = Vec::new();
    if !proof.requests.is_empty() {
        let ids: Vec<String> = proof.requests.iter().map(u64::to_string).collect();
        parts.push(format!("requests {}", ids.join(", ")));
    }
    if !proof.callbacks.is_empty() {
        parts.push(format!("callbacks {}", proof.callbacks.join(", ")));
    }
    parts.push(format!(
        "seen {} time{}",
        proof.seen,
        if proof.seen == 1 { "" } else { "s" }
    ));
    parts.join("; ")
}

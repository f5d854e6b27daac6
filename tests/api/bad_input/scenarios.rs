//! What each `x-sandbox-scenario` answers is declared on every operation, with the envelope.

use super::{parameter_value, resolve};
use crate::helpers::DEMO_KEY;

/// The statuses conformance runs cannot provoke without flagging them (`x-sandbox-scenario` makes the
/// server answer 5xx on purpose): on every operation each is declared, with the envelope.
#[tokio::test]
async fn every_operation_declares_what_each_scenario_answers() {
    let mut settings = sandbank::SandboxSettings::default();
    settings.gateway.timeout = std::time::Duration::from_millis(20);
    let app = crate::helpers::spawn_app_with(settings);
    let spec = crate::helpers::inlined_spec(&app).await;
    let mut sent = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let mut concrete = path.clone();
            let mut headers: Vec<(String, String)> = vec![("apikey".into(), DEMO_KEY.into())];
            for param in op["parameters"].as_array().into_iter().flatten() {
                let name = param["name"].as_str().unwrap();
                match param["in"].as_str() {
                    Some("path") => {
                        concrete = concrete.replace(&format!("{{{name}}}"), &parameter_value(param))
                    }
                    Some("header") if param["required"] == true => {
                        headers.push((name.to_string(), parameter_value(param)))
                    }
                    _ => {}
                }
            }
            let body = op["requestBody"]["content"]["application/json"]["schema"]
                .is_object()
                .then(|| {
                    let media = &op["requestBody"]["content"]["application/json"]["schema"];
                    resolve(&spec, media)["example"].to_string().into_bytes()
                });
            for (scenario, status) in [
                ("server-error", 500),
                ("rate-limited", 429),
                ("timeout", 504),
            ] {
                let mut with_scenario = headers.clone();
                with_scenario.push(("x-sandbox-scenario".into(), scenario.into()));
                let with_scenario: Vec<(&str, &str)> = with_scenario
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let answer = app
                    .call(
                        method.to_uppercase().parse().unwrap(),
                        &concrete,
                        &with_scenario,
                        body.clone().map(|b| ("application/json", b)),
                    )
                    .await;

                let at = format!("{} {concrete} with {scenario}", method.to_uppercase());
                assert_eq!(answer.status.as_u16(), status, "{at}: {:?}", answer.json);
                assert!(
                    op["responses"][status.to_string()].is_object(),
                    "{at}: {status} is not declared"
                );
                assert_eq!(answer.json["success"], false, "{at}: {:?}", answer.json);
                sent += 1;
            }
        }
    }

    assert_eq!(
        sent,
        3 * spec["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|i| i.as_object().unwrap().len())
            .sum::<usize>()
    );
}

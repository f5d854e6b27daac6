//! Where callbacks may go (`--callback-allow`): so that a partner's callback URL cannot turn the
//! sandbox against the host it runs on or the network behind it (cloud metadata, internal services).
//!
//! A list of entries, comma-separated: a CIDR or address (`10.1.0.0/16`, `192.0.2.7`), a host name
//! (`receiver.ci.internal`, or `*.example.com` for its subdomains), or a class — `loopback`,
//! `private` (RFC 1918, CGNAT 100.64/10, unique-local fc00::/7) or `public` (any other unicast
//! address). The default, `loopback,private,public`, lets local development and CI containers work
//! and refuses only link-local (169.254/16 with the metadata service, fe80::/10), unspecified,
//! multicast and broadcast addresses. A hosted sandbox open to strangers would use `public`.
//!
//! A URL whose host matches a host-name entry is allowed; otherwise every address its host resolves
//! to must be allowed. The check runs in the callback client's resolver, on the addresses it then
//! connects to, so a name that re-resolves elsewhere (DNS rebinding) is refused too.

use std::{
    net::{IpAddr, SocketAddr},
    sync::{Arc, OnceLock},
};

use hickory_resolver::{
    config::{LookupIpStrategy, ResolverConfig, GOOGLE},
    net::{runtime::TokioRuntimeProvider, NetError},
    TokioResolver,
};
use ipnet::IpNet;

/// The default `--callback-allow`.
pub const DEFAULT_ALLOW: &str = "loopback,private,public";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Net(IpNet),
    Host(String),
    /// `*.example.com`: any subdomain.
    Suffix(String),
    Loopback,
    Private,
    Public,
}

/// The parsed `--callback-allow` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackTargets {
    entries: Vec<Entry>,
}

impl Default for CallbackTargets {
    fn default() -> Self {
        Self::parse(DEFAULT_ALLOW).expect("the default list parses")
    }
}

impl std::str::FromStr for CallbackTargets {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        Self::parse(raw)
    }
}

impl CallbackTargets {
    /// Reads `--callback-allow`: comma-separated addresses, networks, host names and classes.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut entries = Vec::new();
        for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let lower = item.to_ascii_lowercase();
            let entry = match lower.as_str() {
                "loopback" => Entry::Loopback,
                "private" => Entry::Private,
                "public" => Entry::Public,
                _ if lower.parse::<IpNet>().is_ok() => Entry::Net(lower.parse().expect("checked")),
                _ if lower.parse::<IpAddr>().is_ok() => {
                    Entry::Net(IpNet::from(lower.parse::<IpAddr>().expect("checked")))
                }
                _ if lower.starts_with("*.") && is_host_name(&lower[2..]) => {
                    Entry::Suffix(lower[1..].to_string())
                }
                _ if is_host_name(&lower) => Entry::Host(lower),
                _ => {
                    return Err(format!(
                        "`{item}` is not a CIDR, an address, a host name, `*.domain`, loopback, \
                         private or public"
                    ))
                }
            };
            entries.push(entry);
        }
        if entries.is_empty() {
            return Err("name at least one allowed target".into());
        }
        Ok(Self { entries })
    }

    /// Whether a host name is allowed by name (then any address it resolves to is).
    pub fn allows_name(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.entries.iter().any(|e| match e {
            Entry::Host(name) => *name == host,
            Entry::Suffix(suffix) => host.ends_with(suffix.as_str()),
            _ => false,
        })
    }

    /// Whether an address may be connected to.
    pub fn allows_ip(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.entries.iter().any(|e| match e {
            Entry::Net(net) => net.contains(&ip),
            Entry::Loopback => ip.is_loopback(),
            Entry::Private => is_private(ip),
            Entry::Public => is_public(ip),
            Entry::Host(_) | Entry::Suffix(_) => false,
        })
    }

    /// Checks a URL before anything is sent: a literal address must be allowed (the resolver does
    /// not see those); a name is checked by the resolver when it connects.
    pub fn check_url(&self, url: &str) -> Result<(), String> {
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("invalid callback URL: {e}"))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| "the callback URL has no host".to_string())?;
        // The URL parser writes every IPv4 spelling (`2130706433`, `0x7f.1`) as dotted decimal.
        match host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            Ok(ip) => self.check_literal(ip),
            Err(_) => Ok(()),
        }
    }

    fn check_literal(&self, ip: IpAddr) -> Result<(), String> {
        if self.allows_ip(ip) {
            Ok(())
        } else {
            Err(refused(&ip.to_string()))
        }
    }

    /// The resolver the callback client connects through.
    pub fn resolver(self: &Arc<Self>) -> Resolver {
        Resolver(self.clone())
    }
}

fn refused(target: &str) -> String {
    format!("callback target {target} is not allowed by the server's --callback-allow")
}

/// Resolves with hickory's resolver (the host's `/etc/resolv.conf` and hosts file when there are any,
/// public DNS otherwise; never glibc's NSS, which a static binary cannot load), then keeps only the
/// allowed addresses.
#[derive(Debug, Clone)]
pub struct Resolver(Arc<CallbackTargets>);

/// One hickory resolver for the process, built on first use (inside the runtime).
fn hickory() -> Result<&'static TokioResolver, NetError> {
    static RESOLVER: OnceLock<TokioResolver> = OnceLock::new();
    if let Some(resolver) = RESOLVER.get() {
        return Ok(resolver);
    }
    let mut builder = TokioResolver::builder_tokio().unwrap_or_else(|_| {
        TokioResolver::builder_with_config(
            ResolverConfig::udp_and_tcp(&GOOGLE),
            TokioRuntimeProvider::default(),
        )
    });
    builder.options_mut().ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    let resolver = builder.build()?;
    Ok(RESOLVER.get_or_init(|| resolver))
}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let targets = self.0.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let by_name = targets.allows_name(&host);
            let addrs: Vec<SocketAddr> = hickory()?
                .lookup_ip(host.as_str())
                .await?
                .iter()
                .filter(|ip| by_name || targets.allows_ip(*ip))
                .map(|ip| SocketAddr::new(ip, 0))
                .collect();
            if addrs.is_empty() {
                return Err(refused(&host).into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

fn is_host_name(raw: &str) -> bool {
    !raw.is_empty()
        && raw.len() <= 253
        && raw.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is checked as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private() || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

/// Unicast, routable, and neither loopback, private, link-local nor reserved.
fn is_public(ip: IpAddr) -> bool {
    if ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || is_private(ip) {
        return false;
    }
    match ip {
        IpAddr::V4(v4) => {
            let [a, ..] = v4.octets();
            !(v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || a >= 240)
        }
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) != 0xfe80,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn the_default_refuses_link_local_and_metadata_only() {
        let targets = CallbackTargets::default();
        for allowed in [
            "127.0.0.1",
            "::1",
            "10.1.2.3",
            "172.17.0.2",
            "192.168.1.5",
            "8.8.8.8",
        ] {
            assert!(targets.allows_ip(ip(allowed)), "{allowed}");
        }
        for refused in [
            "169.254.169.254",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "fe80::1",
        ] {
            assert!(!targets.allows_ip(ip(refused)), "{refused}");
        }
        assert!(
            !targets.allows_ip(ip("::ffff:169.254.169.254")),
            "mapped IPv6"
        );
        assert!(targets.check_url("http://169.254.169.254/latest").is_err());
        assert!(targets.check_url("http://127.0.0.1:9/cb").is_ok());
    }

    #[test]
    fn an_operator_list_narrows_to_what_it_names() {
        let targets =
            CallbackTargets::parse("public, 10.9.0.0/16, hooks.example.com, *.ci.test").unwrap();

        assert!(targets.allows_ip(ip("8.8.8.8")) && targets.allows_ip(ip("10.9.3.4")));
        assert!(!targets.allows_ip(ip("127.0.0.1")) && !targets.allows_ip(ip("10.8.0.1")));
        assert!(targets.allows_name("hooks.example.com") && targets.allows_name("a.ci.test"));
        assert!(!targets.allows_name("example.com") && !targets.allows_name("ci.test"));
        assert!(CallbackTargets::parse("nonsense/33").is_err());
        assert!(CallbackTargets::parse(" , ").is_err());
    }
}

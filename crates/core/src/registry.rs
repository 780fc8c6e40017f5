//! Decode-as rules: `-d udp.port==N,PROTO`, `-d udp.port==N-M,PROTO` and `-d
//! udp.port==N:COUNT,PROTO` (COUNT ports from N), as tshark spells them.

use std::ops::RangeInclusive;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeAs {
    pub ports: RangeInclusive<u16>,
    pub protocol: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeAsError {
    #[error(
        "'{0}' is not a decode-as rule: expected udp.port==PORT,PROTOCOL, udp.port==LOW-HIGH,PROTOCOL or \
         udp.port==FIRST:COUNT,PROTOCOL"
    )]
    Syntax(String),
    #[error("'{0}' is not a port number (0-65535)")]
    Port(String),
    #[error("unknown protocol '{name}' in decode-as rule; known: {known}")]
    Protocol { name: String, known: String },
}

impl DecodeAs {
    pub fn parse(rule: &str) -> Result<DecodeAs, DecodeAsError> {
        let syntax = || DecodeAsError::Syntax(rule.to_string());
        let rest = rule.trim().strip_prefix("udp.port").ok_or_else(syntax)?;
        let rest = rest.trim_start().strip_prefix("==").ok_or_else(syntax)?;
        let (ports, proto) = rest.split_once(',').ok_or_else(syntax)?;
        let port = |s: &str| s.trim().parse::<u16>().map_err(|_| DecodeAsError::Port(s.trim().to_string()));
        let ports = if let Some((lo, hi)) = ports.split_once('-') {
            let (lo, hi) = (port(lo)?, port(hi)?);
            if lo > hi {
                return Err(syntax());
            }
            lo..=hi
        } else if let Some((first, count)) = ports.split_once(':') {
            let first = port(first)?;
            let count: u16 = count.trim().parse().ok().filter(|&n| n > 0).ok_or_else(syntax)?;
            first..=first.checked_add(count - 1).ok_or_else(|| DecodeAsError::Port(ports.trim().to_string()))?
        } else {
            let p = port(ports)?;
            p..=p
        };
        let protocol = proto.trim().to_ascii_lowercase();
        if protocol.is_empty() {
            return Err(syntax());
        }
        Ok(DecodeAs { ports, protocol })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_single_ports_and_ranges() {
        assert_eq!(
            DecodeAs::parse("udp.port==4000,heartbeat").unwrap(),
            DecodeAs { ports: 4000..=4000, protocol: "heartbeat".into() }
        );
        assert_eq!(DecodeAs::parse(" udp.port == 5000-5010 , Heartbeat").unwrap().ports, 5000..=5010);
        // tshark's FIRST:COUNT.
        assert_eq!(DecodeAs::parse("udp.port==4664:2,data").unwrap().ports, 4664..=4665);
        assert_eq!(DecodeAs::parse("udp.port==65535:1,data").unwrap().ports, 65535..=65535);
    }

    #[test]
    fn rejects_malformed_rules_with_a_reason() {
        assert!(matches!(DecodeAs::parse("tcp.port==1,x"), Err(DecodeAsError::Syntax(_))));
        assert!(matches!(DecodeAs::parse("udp.port==70000,x"), Err(DecodeAsError::Port(_))));
        assert!(matches!(DecodeAs::parse("udp.port==9-1,x"), Err(DecodeAsError::Syntax(_))));
        assert!(matches!(DecodeAs::parse("udp.port==9"), Err(DecodeAsError::Syntax(_))));
        assert!(matches!(DecodeAs::parse("udp.port==9:0,x"), Err(DecodeAsError::Syntax(_))));
        assert!(matches!(DecodeAs::parse("udp.port==9:x,x"), Err(DecodeAsError::Syntax(_))));
        assert!(matches!(DecodeAs::parse("udp.port==65535:2,x"), Err(DecodeAsError::Port(_))));
    }
}

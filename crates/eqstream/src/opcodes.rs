//! Application opcode names from the user's files: EQ1 in EQEmu's `patch_*.conf` format
//! (`OP_Name=0x1234`), EQ2 as CSV (`name,opcode[,version_low,version_high]`).
//! Names are leaked once per load so fields can hold them as `&'static str`.

use std::collections::HashMap;

fn number(s: &str) -> Option<u32> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// EQ1 opcode names (one client version: one patch file).
#[derive(Debug, Default, Clone)]
pub struct Eq1Opcodes {
    names: HashMap<u16, &'static str>,
}

impl Eq1Opcodes {
    /// Parses `OP_Name=0x1234   # comment` lines; `0x0000` means "not in this client".
    pub fn parse(text: &str) -> Result<Eq1Opcodes, String> {
        let mut names = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (name, value) =
                line.split_once('=').ok_or_else(|| format!("line {}: expected OP_Name=0xNNNN", n + 1))?;
            let value = number(value)
                .filter(|&v| v <= 0xffff)
                .ok_or_else(|| format!("line {}: '{}' is not a 16-bit opcode", n + 1, value.trim()))?;
            if value != 0 {
                names.entry(value as u16).or_insert_with(|| leak(name.trim()));
            }
        }
        Ok(Eq1Opcodes { names })
    }

    pub fn name(&self, op: u16) -> Option<&'static str> {
        self.names.get(&op).copied()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// EQ2 opcode names by client version.
#[derive(Debug, Default, Clone)]
pub struct Eq2Opcodes {
    /// (opcode, version low, version high, name).
    rows: Vec<(u16, u32, u32, &'static str)>,
}

impl Eq2Opcodes {
    /// Parses CSV lines `name,opcode` or `name,opcode,version_low,version_high`; `#` starts a
    /// comment, and a first line whose opcode is not a number is a header.
    pub fn parse(text: &str) -> Result<Eq2Opcodes, String> {
        let mut rows = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split(',').map(str::trim).collect();
            let bad = || format!("line {}: expected name,opcode[,version_low,version_high]", n + 1);
            if cols.len() != 2 && cols.len() != 4 {
                return Err(bad());
            }
            let Some(op) = number(cols[1]).filter(|&v| v <= 0xffff) else {
                if rows.is_empty() && n == 0 {
                    continue;
                }
                return Err(bad());
            };
            let (lo, hi) = if cols.len() == 4 {
                (number(cols[2]).ok_or_else(bad)?, number(cols[3]).ok_or_else(bad)?)
            } else {
                (0, u32::MAX)
            };
            rows.push((op as u16, lo, hi, leak(cols[0])));
        }
        Ok(Eq2Opcodes { rows })
    }

    /// The name for `op` in client `version` (any version when it is not known yet).
    pub fn name(&self, op: u16, version: Option<u16>) -> Option<&'static str> {
        let v = version.map(u32::from);
        self.rows
            .iter()
            .find(|r| r.0 == op && v.is_none_or(|v| (r.1..=r.2).contains(&v)))
            .map(|r| r.3)
            .or_else(|| crate::eq2::builtin_opcode_name(op))
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eq1_patch_conf() {
        let t = Eq1Opcodes::parse(
            "# Titanium\nOP_SendLoginInfo=0x4dd0\t\t# C\nOP_ZoneEntry=0x7213\nOP_Unused=0x0000\n\nOP_Dup=0x7213\n",
        )
        .unwrap();
        assert_eq!((t.name(0x4dd0), t.name(0x7213), t.len()), (Some("OP_SendLoginInfo"), Some("OP_ZoneEntry"), 2));
        assert!(Eq1Opcodes::parse("OP_X 0x12").unwrap_err().contains("line 1"));
        assert!(Eq1Opcodes::parse("OP_X=0x12345").unwrap_err().contains("16-bit"));
    }

    #[test]
    fn eq2_csv_with_versions() {
        let t = Eq2Opcodes::parse(
            "name,opcode,version_low,version_high\n\
             OP_PlayCharacterRequestMsg,17,283,283\n\
             OP_PlayCharacterRequestMsg,18,284,60069\n\
             OP_ZoneInfoMsg,0x23,60085,70766\n\
             OP_Custom,500\n",
        )
        .unwrap();
        assert_eq!(t.name(18, Some(1208)), Some("OP_PlayCharacterRequestMsg"));
        assert_eq!(t.name(17, Some(1208)), None);
        assert_eq!(t.name(35, Some(60100)), Some("OP_ZoneInfoMsg"));
        assert_eq!(t.name(35, None), Some("OP_ZoneInfoMsg"));
        assert_eq!(t.name(500, Some(1)), Some("OP_Custom"));
        assert_eq!(t.name(4, Some(1)), Some("OP_LoginReplyMsg"));
        assert!(Eq2Opcodes::parse("a,1\nb,x").unwrap_err().contains("line 2"));
    }
}

//! TF0603 sticky-sessions: the router pins a client to one process (nginx `ip_hash` /
//! `sticky`, HAProxy `balance source` / insert cookies, Kubernetes `sessionAffinity:
//! ClientIP`, ingress cookie affinity, Traefik sticky cookies, load-balancer stickiness).
//! Sticky routing hides state kept in one process and breaks when that process goes away.
//! Rows live in `state.rs`.

use super::state::run_rows;
use crate::context::FileCx;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;

pub struct StickySessions;

impl Rule for StickySessions {
    fn id(&self) -> RuleId {
        RuleId::StickySessions
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        run_rows(RuleId::StickySessions, file, cx);
    }
}

//! TF0601 local-filesystem-state: persistent user data written to the local disk: upload
//! handlers saving to a local folder (multer `dest`/`diskStorage`, Flask/Werkzeug
//! `file.save(os.path.join(...))`, PHP `move_uploaded_file`), Django `FileSystemStorage` in
//! production settings, ActiveStorage `service = :local` in production, Laravel's default
//! disk `local`. Quiet on temp directories (`/tmp`, `tempfile`, `os.tmpdir()`) and object
//! storage. Rows live in `state.rs`.

use super::state::run_rows;
use crate::context::FileCx;
use crate::rule::{Rule, RuleId};
use crate::source::SourceFile;

pub struct LocalFilesystemState;

impl Rule for LocalFilesystemState {
    fn id(&self) -> RuleId {
        RuleId::LocalFilesystemState
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        run_rows(RuleId::LocalFilesystemState, file, cx);
    }
}

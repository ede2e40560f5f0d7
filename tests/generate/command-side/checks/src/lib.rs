//! Tests of the generated repositories of the `desk` case (see `tests/`).

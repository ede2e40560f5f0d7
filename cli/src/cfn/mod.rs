//! CloudFormation templates as typed values (placeholder, filled in the next commit).

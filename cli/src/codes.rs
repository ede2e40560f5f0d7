//! The one way stable code tables are declared: diagnostic codes ([`crate::diagnostic::Code`])
//! and change codes ([`crate::diff::code::ChangeCode`]). Each entry names a variant, its code
//! as written in reports, its class (severity, or breaking/compatible/informational) and a
//! one-line summary; the macro derives the enum, `ALL`, `as_str`, the class accessor and
//! `summary` from the table, so the accessors cannot drift from it.

/// Declares a code enum from a table of `Variant = "CODE", Class, "summary";` entries.
macro_rules! stable_codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident, class $class_fn:ident -> $class:ident, $class_doc:literal {
            $($variant:ident = $code:literal, $class_variant:ident, $summary:literal;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $(#[doc = $summary] $variant,)*
        }

        impl $name {
            /// Every code, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The code as written in reports.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            #[doc = $class_doc]
            pub fn $class_fn(self) -> $class {
                match self { $($name::$variant => $class::$class_variant,)* }
            }

            /// One line on what the code means.
            pub fn summary(self) -> &'static str {
                match self { $($name::$variant => $summary,)* }
            }
        }
    };
}

pub(crate) use stable_codes;

//! The Lambda binaries of a service crate and the scaffold of its hooks file.

use std::path::Path;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::super::EmitError;
use super::super::tokens::ident;
use super::{EventNames, upcasters};
use crate::model::{Projection, Service, System};
use crate::naming::field_ident;

/// `src/bin/trigger.rs`: publishes the events of the table stream to the bus.
pub(super) fn trigger(lib: &Ident) -> TokenStream {
    quote! {
        //! The trigger function: publishes the events of the service's table stream to the
        //! bus named by `BUS_NAME`.

        use cqrsgen_runtime::aws_lambda_events::dynamodb::Event;
        use cqrsgen_runtime::publish::{EventBridgePublisher, PublishConfig};
        use cqrsgen_runtime::trigger::Trigger;
        use cqrsgen_runtime::{clients, env, lambda};
        use #lib::{Mapper, SERVICE};

        #[tokio::main]
        async fn main() -> Result<(), lambda::Error> {
            let config = clients::sdk_config().await;
            let trigger = Trigger {
                source: SERVICE.to_owned(),
                region: env::required(env::AWS_REGION)?,
                publisher: EventBridgePublisher::new(
                    clients::eventbridge(&config),
                    env::required(env::BUS_NAME)?,
                ),
                config: PublishConfig::default(),
            };
            let mapper = Mapper::from_env();
            let (trigger, mapper) = (&trigger, &mapper);
            lambda::run(move |event: Event| async move {
                Ok::<_, lambda::Error>(trigger.handle(&event, |record, change| mapper.map(record, change)).await)
            })
            .await
        }
    }
}

/// `src/bin/listener.rs`: applies the events of the queue to the views.
pub(super) fn listener(lib: &Ident) -> TokenStream {
    quote! {
        //! The listener function: applies the events of the service's queue to its views, in
        //! the tables named by the environment.

        use cqrsgen_runtime::aws_lambda_events::sqs::SqsEvent;
        use cqrsgen_runtime::listener::process_batch;
        use cqrsgen_runtime::{clients, lambda};
        use #lib::hooks::ServiceHooks;
        use #lib::{Listener, Views};

        #[tokio::main]
        async fn main() -> Result<(), lambda::Error> {
            let config = clients::sdk_config().await;
            let listener = Listener {
                views: Views::from_env(&config)?,
                hooks: ServiceHooks,
            };
            let listener = &listener;
            lambda::run(move |event: SqsEvent| async move {
                Ok::<_, lambda::Error>(process_batch(listener, &event).await?)
            })
            .await
        }
    }
}

/// `src/hooks.rs`, written once without header: a `ServiceHooks` whose hooks fail until
/// implemented (so their messages are retried and end up in the dead-letter queue rather
/// than being lost).
pub(super) fn hooks_scaffold(
    system: &System,
    service: &Service,
    events: &Ident,
    path: &Path,
) -> Result<String, EmitError> {
    let mut methods = Vec::new();
    for view in service.views.values() {
        for (event, projection) in &view.projections {
            let (Projection::Hook(hook), Some(event)) = (projection, system.events.get(event))
            else {
                continue;
            };
            let method = ident(&field_ident(hook));
            let payload = EventNames::of(events, event).payload;
            let message = format!("hook `{hook}` is not implemented yet");
            methods.push(quote! {
                async fn #method(&self, envelope: &Envelope<#payload>, views: &Views) -> Result<(), BoxError> {
                    let _ = (envelope, views);
                    Err(#message.into())
                }
            });
        }
    }
    let upcasts = upcasters(system).then(|| upcaster_stubs(system, events));
    let uses = if methods.is_empty() {
        quote!(
            use crate::Hooks;
        )
    } else {
        quote! {
            use cqrsgen_runtime::listener::BoxError;
            use #events::Envelope;
            use crate::{Hooks, Views};
        }
    };
    let tokens = quote! {
        //! The custom projection hooks of this service.
        //!
        //! cqrsgen wrote this file once and never overwrites it: it is yours. Each hook is
        //! called by the listener for the event the spec names it for.

        #uses

        /// The hooks the listener calls.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct ServiceHooks;

        impl Hooks for ServiceHooks {
            #(#methods)*
        }

        #upcasts
    };
    syn::parse2::<syn::File>(tokens)
        .map(|file| prettyplease::unparse(&file))
        .map_err(|error| EmitError::InvalidRust {
            path: path.to_owned(),
            message: error.to_string(),
        })
}

/// `impl Upcasters` with a stub per upcast hook of the system.
fn upcaster_stubs(system: &System, events: &Ident) -> TokenStream {
    let mut stubs = Vec::new();
    for event in system.events.values() {
        let names = EventNames::of(events, event);
        let module = &names.module;
        for (old, new) in event.versions.iter().zip(&event.versions[1..]) {
            let Some(hook) = &old.upcast else { continue };
            let method = ident(&field_ident(hook));
            let old_ty = ident(&format!("{}V{}", names.variant, old.version));
            let new_ty = ident(&format!("{}V{}", names.variant, new.version));
            let message = format!("upcast `{hook}` is not implemented yet");
            stubs.push(quote! {
                fn #method(&self, payload: #events::#module::#old_ty) -> #events::#module::#new_ty {
                    let _ = payload;
                    todo!(#message)
                }
            });
        }
    }
    quote! {
        impl #events::Upcasters for ServiceHooks {
            #(#stubs)*
        }
    }
}

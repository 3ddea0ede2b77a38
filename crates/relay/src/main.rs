//! `scim-relay --target <base URL> [--port <n>] [--allow-origin <origin>]…`, started by
//! `make relay TARGET=…`: see the crate's documentation and README's "Test your own SCIM server".

use std::process::ExitCode;

use scim_relay::Config;

// One browser calls a relay on 127.0.0.1: a single thread serves it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = match Config::from_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(text) if text.starts_with("usage") => {
            println!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(text) => {
            eprintln!("{text}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "scim-relay: cannot listen on 127.0.0.1:{}: {error} (is a relay already running? choose another with --port)",
                config.port
            );
            return ExitCode::FAILURE;
        }
    };
    // The line the page's instructions and the tests wait for.
    eprintln!(
        "scim-relay: http://127.0.0.1:{} → {} (pages allowed from {}; Ctrl-C stops it)",
        config.port,
        config.target,
        config.allowed_origins.join(", ")
    );
    match scim_relay::serve(listener, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("scim-relay: stopped: {error}");
            ExitCode::FAILURE
        }
    }
}

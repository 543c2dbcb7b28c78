//! `wechat-mp-mock [--port N]`: the mock as a server of its own, for tests in other
//! languages and for curl. It prints its base URLs and the account, then serves until
//! interrupted.

use std::process::ExitCode;

use wechat_mp_mock::{APP_SECRET, MockWechat};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut port = 8089;
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().map(|v| v.parse::<u16>())) {
            ("--port", Some(Ok(p))) => port = p,
            _ => {
                eprintln!("usage: wechat-mp-mock [--port N]   (N: 0 for any free port; default 8089)");
                return ExitCode::from(2);
            }
        }
    }
    let wx = match MockWechat::builder().port(port).start().await {
        Ok(wx) => wx,
        Err(e) => {
            eprintln!("wechat-mp-mock: cannot bind 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("wechat-mp-mock: {} endpoints", wx.endpoint_count());
    for (host, url) in wx.base_urls() {
        println!("  {host:?}: {url}");
    }
    println!("  app id {}, app secret {APP_SECRET}", wx.app_id());
    println!(
        "  try: curl '{}/cgi-bin/token?grant_type=client_credential&appid={}&secret={APP_SECRET}'",
        wx.base_url(wechat_mp::endpoint::Host::Api),
        wx.app_id()
    );
    // Serves on its own task until interrupted.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
    ExitCode::SUCCESS
}

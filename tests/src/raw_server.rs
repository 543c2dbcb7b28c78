//! A bare HTTP/1.1 server on 127.0.0.1 for answers wiremock cannot give: a body in
//! timed chunks, one that stalls, or one that never comes.

use std::future::Future;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Starts a server that reads each connection's request and then leaves the socket to
/// `answer`; returns its base URL, `http://127.0.0.1:PORT`.
pub async fn raw_server<F, Fut>(answer: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            tokio::spawn(answer(socket));
        }
    });
    format!("http://{address}")
}

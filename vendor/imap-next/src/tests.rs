use imap_codec::imap_types::{
    auth::AuthMechanism,
    command::{Command, CommandBody},
    core::Tag,
    response::{Greeting, Status},
};
use tokio::net::{TcpListener, TcpStream};

use crate::{
    client::{self, Client},
    server::{self, Server},
    stream::Stream,
};

#[tokio::test]
async fn self_test() {
    let greeting = Greeting::ok(None, "Hello, World!").unwrap();

    // Port 0 means "pick any available port"
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();

    let server = {
        let greeting = greeting.clone();

        async move {
            let (stream, _) = listener.accept().await.unwrap();
            let mut stream = Stream::insecure(stream);
            let mut server = Server::new(server::Options::default(), greeting.clone());

            loop {
                match stream.next(&mut server).await.unwrap() {
                    server::Event::CommandReceived { command } => {
                        let no = Status::no(Some(command.tag), None, "...").unwrap();
                        server.enqueue_status(no);
                    }
                    server::Event::CommandAuthenticateReceived {
                        command_authenticate,
                    } => {
                        let no = Status::no(Some(command_authenticate.tag), None, "...").unwrap();
                        server.enqueue_status(no);
                    }
                    _ => {}
                }
            }
        }
    };

    #[allow(clippy::let_underscore_future)]
    let _ = tokio::task::spawn(server);

    let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut stream = Stream::insecure(stream);
    let mut client = Client::new(client::Options::default());

    client.enqueue_command(Command::new(Tag::unvalidated("A1"), CommandBody::Capability).unwrap());

    loop {
        match stream.next(&mut client).await.unwrap() {
            client::Event::GreetingReceived {
                greeting: received_greeting,
            } => {
                assert_eq!(greeting, received_greeting)
            }
            client::Event::StatusReceived { .. } => {
                client.enqueue_command(
                    Command::new(
                        Tag::unvalidated("A2"),
                        CommandBody::Authenticate {
                            mechanism: AuthMechanism::Plain,
                            initial_response: None,
                        },
                    )
                    .unwrap(),
                );
            }
            client::Event::AuthenticateStatusReceived { .. } => break,
            _ => {}
        }
    }
}

// santemail patch: responses queued together leave in one output, and are reported sent one by
// one, in order, before the server asks for input.
#[test]
fn queued_responses_are_written_together() {
    use imap_codec::imap_types::response::Data;

    use crate::{Interrupt, Io, State};

    let greeting = Greeting::ok(None, "hi").unwrap();
    let mut server = Server::new(server::Options::default(), greeting);
    let exists = server.enqueue_data(Data::Exists(3));
    let ok = server.enqueue_status(Status::ok(Some(Tag::unvalidated("A1")), None, "done").unwrap());

    match server.next() {
        Err(Interrupt::Io(Io::Output(bytes))) => {
            assert_eq!(bytes, b"* OK hi\r\n* 3 EXISTS\r\nA1 OK done\r\n".to_vec())
        }
        other => panic!("expected one output, got {other:?}"),
    }
    assert!(matches!(
        server.next(),
        Ok(server::Event::GreetingSent { .. })
    ));
    assert!(matches!(
        server.next(),
        Ok(server::Event::ResponseSent { handle, .. }) if handle == exists
    ));
    assert!(matches!(
        server.next(),
        Ok(server::Event::ResponseSent { handle, .. }) if handle == ok
    ));
    assert!(matches!(
        server.next(),
        Err(Interrupt::Io(Io::NeedMoreInput))
    ));

    // A response queued after the batch was written comes in an output of its own.
    let later = server.enqueue_data(Data::Exists(4));
    match server.next() {
        Err(Interrupt::Io(Io::Output(bytes))) => assert_eq!(bytes, b"* 4 EXISTS\r\n".to_vec()),
        other => panic!("expected an output, got {other:?}"),
    }
    assert!(matches!(
        server.next(),
        Ok(server::Event::ResponseSent { handle, .. }) if handle == later
    ));
}

"""The wire-pattern suite: partner clients written independently of sandbank (Python, `cryptography`,
`requests`), each building requests the way one family of published integrations does, run against a
real sandbank binary (`tests/wire/run.sh` starts it and sets `SANDBANK_URL`)."""

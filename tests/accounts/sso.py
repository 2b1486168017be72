"""A single sign-on configuration for tests; nothing here reaches the network."""

SSO = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "sso",
                "name": "Acme SSO",
                "client_id": "guilde",
                "secret": "s3cret",
                "settings": {"server_url": "https://sso.example.com"},
            }
        ]
    }
}

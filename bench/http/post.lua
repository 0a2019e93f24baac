-- wrk script: the POST pusher-js sends to the channel auth endpoint.
wrk.method = "POST"
wrk.body   = "socket_id=123456.7654321&channel_name=private-foo"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

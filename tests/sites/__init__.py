"""Sites built from fewer apps than ours, to prove the optional apps are optional."""

"""Development tools: demo data (`seed_demo`, `make run`) and benchmarks (`make bench`).

Installed by config.dev_settings only; production settings (config.settings) leave it out, so no
production process loads demo data, benchmarks or Django's test client.
"""

"""trioweb's benchmarks against its peers; run ``python bench/run.py`` (see docs/performance.md)."""

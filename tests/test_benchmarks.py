from benchmarks.bench_queries import main, synthetic


def test_benchmark_runs_and_both_sides_answer_alike(capsys):
    results = main(["--size", "300", "--repeat", "2"])
    assert [name for name, _, _ in results][0].startswith("id lookup")
    assert "speed-up" in capsys.readouterr().out


def test_synthetic_dataset_queries_agree_with_scans():
    events = synthetic(500).events
    assert list(events.involving("Actor 7").ids()) == [e.id for e in events if "actor-7" in e.actors]


def test_bench_all_prints_every_row_at_a_small_size(capsys):
    from benchmarks import bench_all

    results = bench_all.main(["--sizes", "220,300", "--repeat", "2"])
    out = capsys.readouterr().out
    for row in ("load(folder) / read+tomllib.loads @300", "load(export.json) / json.loads @300",
                "load growth 220 -> 300", "azukr sources growth", "search(word): naive scan / azukr",
                "of_kind(k): scan / azukr", "between(2-day).involving()", "fingerprint / load(folder)",
                "memory per event", "import azukr / python -c pass", "load(folder), compiled cache",
                "load(export.json), compiled cache",
                "azukr timeline (shipped data) / python -c pass", "azukr timeline, no cache",
                "import attrs / python -c pass", "load(export.json) / (json.loads + making the records)",
                "import azukr.model / python -c pass", "azukr timeline (shipped data) / import azukr.model"):
        assert row in out
    assert all(value > 0 for name, value in results.items() if not name.startswith("sources@"))

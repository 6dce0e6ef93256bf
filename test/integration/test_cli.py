"""The command line: help, version, check-config, configuration errors, exit codes."""
import re

from conftest import ROOT, run_cli


def test_help():
    r = run_cli(["--help"])
    assert r.returncode == 0
    assert r.stdout.startswith("usage: medley [-c FILE | --config FILE]")
    for cmd in ["serve", "migrate", "check-config", "version"]:
        assert cmd in r.stdout


def test_version():
    r = run_cli(["version"])
    assert r.returncode == 0
    assert re.match(r"^medley \d+\.\d+\.\d+ \(commit [0-9a-z]+\)$", r.stdout.strip())


def test_unknown_command_and_option():
    assert run_cli(["frobnicate"]).returncode == 2
    assert run_cli(["--bogus"]).returncode == 2
    assert run_cli(["serve", "extra"]).returncode == 2


def test_check_config_sample():
    r = run_cli(["-c", "etc/medley.yaml", "check-config"])
    assert r.returncode == 0, r.stderr
    assert "server:" in r.stdout and "database:" in r.stdout and "log:" in r.stdout
    assert re.search(r"port: 8080", r.stdout)


def test_check_config_redacts_password():
    url = "postgresql://medley:s3cret-pw@db.example:5432/medley"
    r = run_cli(["check-config"], env={"MEDLEY_DATABASE_URL": url})
    assert r.returncode == 0, r.stderr
    assert "s3cret-pw" not in r.stdout
    assert "medley:***@db.example" in r.stdout


def test_secret_from_file(tmp_path):
    secret = tmp_path / "url"
    secret.write_text("host=/tmp dbname=x password=filepw\n")
    r = run_cli(["check-config"], env={"MEDLEY_DATABASE_URL_FILE": str(secret)})
    assert r.returncode == 0, r.stderr
    assert "filepw" not in r.stdout
    assert "password=***" in r.stdout


def test_env_overrides_file(tmp_path):
    r = run_cli(["check-config"], env={"MEDLEY_SERVER_PORT": "9123",
                                       "MEDLEY_LOG_FORMAT": "text"})
    assert r.returncode == 0, r.stderr
    assert "port: 9123" in r.stdout
    assert re.search(r"format: \"?text", r.stdout)


def test_three_mistakes_reported_together(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("server:\n  port: 99999\ndatabase:\n  pool_size: 0\nlog:\n  level: loud\n")
    r = run_cli(["-c", str(cfg), "check-config"])
    assert r.returncode == 2
    for path in ["server.port", "database.pool_size", "log.level"]:
        assert path in r.stderr, r.stderr


def test_bad_env_value_names_variable():
    r = run_cli(["check-config"], env={"MEDLEY_SERVER_THREADS": "many"})
    assert r.returncode == 2
    assert "MEDLEY_SERVER_THREADS" in r.stderr


def test_missing_explicit_config_file():
    r = run_cli(["-c", "/nonexistent/medley.yaml", "check-config"])
    assert r.returncode == 2
    assert "/nonexistent/medley.yaml" in r.stderr


def test_printed_config_loads_back(tmp_path):
    r = run_cli(["-c", "etc/medley.yaml", "check-config"])
    out = tmp_path / "again.yaml"
    out.write_text(r.stdout)
    r2 = run_cli(["-c", str(out), "check-config"])
    assert r2.returncode == 0, r2.stderr
    assert r2.stdout == r.stdout


def test_port_in_use_exits_1(medley, db_url):
    m = medley(env={"MEDLEY_DATABASE_URL": db_url})
    r = run_cli(["serve"], env={"MEDLEY_DATABASE_URL": db_url,
                                "MEDLEY_SERVER_PORT": str(m.port)}, timeout=20)
    assert r.returncode == 1
    assert "cannot start HTTP server" in r.stderr


def test_sample_config_is_the_default_path():
    assert (ROOT / "etc" / "medley.yaml").exists()
    r = run_cli(["check-config"])
    assert r.returncode == 0, r.stderr

"""Starts the real newsdesk binaries for client tests.

Service runs one binary as a subprocess on a port it picks itself (port 0,
read back from --port_file). Services starts an ingest and a query service
in a temporary folder, waits until both report SERVING and stops them with
SIGTERM. Used by clients/python/client_test.py and clients/testing/
run_example.py (the example of every other language).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

STARTUP_TIMEOUT_S = 60
SHUTDOWN_TIMEOUT_S = 10


def find_binary(bin_dir, name):
    path = os.path.join(bin_dir, name)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise AssertionError("binary not found: %s (build the project, or set "
                             "NEWSDESK_BIN_DIR)" % path)
    return path


def bin_dir():
    return os.environ.get("NEWSDESK_BIN_DIR") or os.path.join(REPO, "build", "bin")


class Service:
    """One service binary run as a subprocess, its log in a file."""

    def __init__(self, name, binary, args, work_dir, extra_env=None):
        self.name = name
        self.port_file = os.path.join(work_dir, name + ".port")
        self.log_path = os.path.join(work_dir, name + ".log")
        self._log = open(self.log_path, "wb")
        env = dict(os.environ, GLOG_logtostderr="1", **(extra_env or {}))
        self.process = subprocess.Popen(
            [binary] + args + ["--port_file=" + self.port_file],
            stdout=self._log, stderr=subprocess.STDOUT, env=env)

    def log_tail(self, lines=40):
        with open(self.log_path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    def wait_for_port(self, timeout=STARTUP_TIMEOUT_S, port_file=None):
        """Returns the port written to the port file once serving."""
        port_file = port_file or self.port_file
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("%s exited with %s before serving:\n%s" % (
                    self.name, self.process.returncode, self.log_tail()))
            try:
                with open(port_file) as f:
                    text = f.read()
                if text.endswith("\n") and text.strip().isdigit():
                    return int(text)
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        raise AssertionError("%s wrote no port to %s within %d s:\n%s" % (
            self.name, port_file, timeout, self.log_tail()))

    def terminate(self, timeout=SHUTDOWN_TIMEOUT_S):
        """Sends SIGTERM; returns the exit status, or None if still running
        after `timeout` seconds (it is then killed)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        finally:
            self._log.close()


class Services:
    """An ingest and a query service on free loopback ports, each with its own
    data folder under a temporary folder. A context manager: entering starts
    both and waits until both are SERVING; leaving stops them and raises if
    either did not exit with status 0 after SIGTERM.

    Attributes once started: ingest_address, query_address (host:port of the
    gRPC servers), and ingest_http_address, query_http_address (host:port of
    the HTTP servers: metrics and the REST door), work_dir.
    """

    def __init__(self, extra_ingest_args=(), extra_query_args=(), extra_env=None):
        self._extra_ingest = list(extra_ingest_args)
        self._extra_query = list(extra_query_args)
        self._extra_env = dict(extra_env or {})
        self.services = []
        self.work_dir = None

    def __enter__(self):
        binaries = bin_dir()
        ingest_bin = find_binary(binaries, "newsdesk-ingest")
        query_bin = find_binary(binaries, "newsdesk-query")
        cli_bin = find_binary(binaries, "newsdesk")
        self.work_dir = tempfile.mkdtemp(prefix="newsdesk-services-")
        try:
            data_files = "--data_files_dir=" + os.path.join(REPO, "data")
            http_port_file = os.path.join(self.work_dir, "ingest.http_port")
            ingest = Service("ingest", ingest_bin, [
                "--listen=127.0.0.1:0", "--http_listen=127.0.0.1:0", "--dev_mode_no_auth",
                "--http_port_file=" + http_port_file,
                "--data_dir=" + os.path.join(self.work_dir, "ingest-data"),
                data_files] + self._extra_ingest, self.work_dir, self._extra_env)
            self.services.append(ingest)
            ingest_port = ingest.wait_for_port()
            ingest_http = ingest.wait_for_port(port_file=http_port_file)
            self.ingest_address = "127.0.0.1:%d" % ingest_port
            self.ingest_http_address = "127.0.0.1:%d" % ingest_http

            http_port_file = os.path.join(self.work_dir, "query.http_port")
            query = Service("query", query_bin, [
                "--listen=127.0.0.1:0", "--http_listen=127.0.0.1:0", "--dev_mode_no_auth",
                "--http_port_file=" + http_port_file,
                "--ingest_address=" + self.ingest_address,
                "--data_dir=" + os.path.join(self.work_dir, "query-data"),
                data_files] + self._extra_query, self.work_dir, self._extra_env)
            self.services.append(query)
            query_port = query.wait_for_port()
            query_http = query.wait_for_port(port_file=http_port_file)
            self.query_address = "127.0.0.1:%d" % query_port
            self.query_http_address = "127.0.0.1:%d" % query_http

            wait = subprocess.run(
                [cli_bin, "--ingest=" + self.ingest_address,
                 "--query=" + self.query_address, "wait"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                timeout=STARTUP_TIMEOUT_S)
            if wait.returncode != 0:
                raise AssertionError("services not serving: %s\n%s" % (
                    wait.stdout, query.log_tail()))
        except BaseException:
            self.stop()
            raise
        return self

    def env(self):
        """The environment for a client: the addresses as NEWSDESK_* variables."""
        return dict(os.environ,
                    NEWSDESK_INGEST_ADDRESS=self.ingest_address,
                    NEWSDESK_QUERY_ADDRESS=self.query_address,
                    NEWSDESK_INGEST_HTTP=self.ingest_http_address,
                    NEWSDESK_QUERY_HTTP=self.query_http_address)

    def log_tails(self):
        return "\n".join("--- %s log\n%s" % (s.name, s.log_tail())
                         for s in self.services)

    def stop(self):
        """Stops the query service, then ingest; returns {name: (exit status,
        log tail)}. Removes the temporary folder."""
        statuses = {}
        for service in reversed(self.services):
            statuses[service.name] = (service.terminate(), service.log_tail())
        self.services = []
        if self.work_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            self.work_dir = None
        return statuses

    def __exit__(self, exc_type, exc, tb):
        statuses = self.stop()
        bad = ["%s: %s\n%s" % (name, "still running after %d s of SIGTERM"
                                % SHUTDOWN_TIMEOUT_S if status is None
                                else "exit status %d" % status, log)
               for name, (status, log) in statuses.items() if status != 0]
        if bad and exc_type is None:
            raise AssertionError("services did not shut down cleanly:\n"
                                 + "\n".join(bad))
        return False

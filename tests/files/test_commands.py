"""import-images, export-images, and the uploaded files' share of backup and restore."""

from __future__ import annotations

import shutil

from tests.conftest import PG_URL, close_app, fresh_database_url, make_app
from tests.files import images
from wiki.markup import filepaths


def test_import_export_backup_and_restore_of_files(database_template, tmp_path):
    source = tmp_path / "photos"
    source.mkdir()
    (source / "Sunset.jpg").write_bytes(images.jpeg(50, 40))
    (source / "Logo.svg").write_bytes(images.SVG)
    (source / "Chart.PNG").write_bytes(images.png(30, 20))
    (source / "Evil.svg").write_bytes(images.HOSTILE_SVG["script"])
    (source / "notes.txt").write_text("not a file type of ours")
    work = tmp_path / "wiki"
    work.mkdir()
    app = make_app(fresh_database_url(database_template, work), work)
    try:
        runner = app.test_cli_runner()
        result = runner.invoke(args=["import-images", str(source), "--comment", "bulk"])
        assert result.exit_code == 0, result.output
        assert "Import: 1 refused, 3 uploaded." in result.output
        assert "Evil.svg: refused" in result.output
        again = runner.invoke(args=["import-images", str(source)])
        assert "3 skipped" in again.output
        client = app.test_client()
        assert client.get(filepaths.original_url("/images", "Chart.png")).data == images.png(30, 20)
        assert "bulk" in client.get("/wiki/File:Sunset.jpg").get_data(as_text=True)

        out = tmp_path / "export"
        result = runner.invoke(args=["export-images", str(out)])
        assert "Exported 3 files" in result.output
        assert (out / "Sunset.jpg").read_bytes() == images.jpeg(50, 40)

        if PG_URL:
            return  # pg_dump round trips are tested in tests/ops; the folder copy below is SQLite's case
        backup = tmp_path / "backup.db"
        result = runner.invoke(args=["backup", str(backup)])
        assert result.exit_code == 0 and "Uploaded files copied" in result.output, result.output
        shutil.rmtree(app.config["WIKI_UPLOAD_DIR"])
        assert client.get(filepaths.original_url("/images", "Chart.png")).status_code == 404
        result = runner.invoke(args=["restore", str(backup), "--replace"])
        assert result.exit_code == 0, result.output
        assert client.get(filepaths.original_url("/images", "Chart.png")).data == images.png(30, 20)
    finally:
        close_app(app)

"""``python -m billformat``: the same command as ``billformat``."""

from billformat.cli import app

if __name__ == "__main__":
    app(prog_name="billformat")

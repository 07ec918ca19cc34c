# The notebook example of docs/python.md runs as printed.
import contextlib
import io
import re

from pyspark.ml import PipelineModel

from conftest import REPO


def test_the_notebook_example_runs(spark, tmp_path):
    text = (REPO / "docs" / "python.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    code = code.replace("/tmp/kinds-pipeline", str(tmp_path / "kinds-pipeline"))
    printed = io.StringIO()
    scope = {}
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "docs/python.md", "exec"), scope)
    assert isinstance(scope["again"], PipelineModel)
    lines = printed.getvalue().splitlines()
    assert sum(1 for l in lines if l.lstrip().startswith("epoch")) == 10, lines
    accuracy = float(lines[-1])
    assert accuracy > 0.9, lines

# Sourced by the scripts: the Spark lines sparkprop builds for, read from pom.xml. The default line is the one
# the top-level properties pin (Spark 4.1 on Scala 2.13); every profile `spark-X.Y` adds line X.Y (spark-3.5:
# Spark 3.5 on Scala 2.12), whose build lives in <module>/target/spark-X.Y/.
#
#   spark_line_load LINE   sets spark_line, spark_version, scala_binary, scala_version, mvn_profile (e.g.
#                          -Pspark-3.5, empty for the default line), target_sub (target or target/spark-3.5),
#                          project_version, app_jar and job_jar (the spark-job jars of that line); an empty LINE
#                          means the default line; an unknown one exits 2 naming the lines there are
#   spark_line_names       prints the lines, the default one first (e.g. "4.1 3.5")
#   spark_line_of_home DIR prints the line whose jars fit the Spark installation DIR (from its jars/spark-core_*),
#                          e.g. 3.5 for Spark 3.5.x on Scala 2.12, 4.1 for any Spark 4.x on Scala 2.13
spark_line_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Prints shell assignments of LINE's variables (or, for --names, of spark_line_names) read from pom.xml.
spark_line_vars() {
  python3 - "$spark_line_root/pom.xml" "${1:-}" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
pom, want = sys.argv[1], sys.argv[2]
root = ET.parse(pom).getroot()
def props(node):
    p = node.find("m:properties", ns)
    return {} if p is None else {c.tag.split("}")[1]: (c.text or "").strip() for c in p}
base = props(root)
default = ".".join(base["spark.version"].split(".")[:2])
lines = {default: (base, "", "target")}
for prof in root.findall("m:profiles/m:profile", ns):
    pid = prof.findtext("m:id", "", ns)
    if pid.startswith("spark-"):
        directory = prof.findtext("m:build/m:directory", "", ns).replace("${project.basedir}/", "")
        lines[pid[len("spark-"):]] = ({**base, **props(prof)}, "-P" + pid, directory or "target")
if want == "--names":
    print("spark_line_names='%s'" % " ".join(lines))
    sys.exit(0)
line = want or default
if line not in lines:
    names = ", ".join(sorted(lines))
    print(f"echo 'unknown Spark line {line}: sparkprop builds for {names}' >&2; exit 2")
    sys.exit(0)
p, flag, sub = lines[line]
version = root.findtext("m:version", "", ns)
out = {"spark_line": line, "spark_version": p["spark.version"], "scala_binary": p["scala.binary.version"],
       "scala_version": p["scala.version"], "mvn_profile": flag, "target_sub": sub, "project_version": version}
for k, v in out.items():
    print(f"{k}='{v}'")
PY
}

spark_line_load() {
  local vars
  vars="$(spark_line_vars "${1:-}")" || { echo "spark-line: cannot read $spark_line_root/pom.xml" >&2; exit 2; }
  eval "$vars"
  local jars="$spark_line_root/spark-job/$target_sub/sparkprop-spark-job_$scala_binary-$project_version"
  app_jar="$jars-app.jar"
  job_jar="$jars.jar"
}

spark_line_names() {
  local spark_line_names
  spark_line_names=""
  eval "$(spark_line_vars --names)"
  [[ -n "$spark_line_names" ]] || { echo "spark-line: cannot read $spark_line_root/pom.xml" >&2; exit 2; }
  echo "$spark_line_names"
}

spark_line_of_home() {
  local core version scala
  core="$(find "$1/jars/" -maxdepth 1 -name 'spark-core_*.jar' 2>/dev/null | head -1)"
  [[ -n "$core" ]] || { echo "spark-line: no jars/spark-core_*.jar under $1 (SPARK_HOME)" >&2; return 2; }
  core="$(basename "$core" .jar)"            # spark-core_2.12-3.5.9
  scala="${core#spark-core_}"; scala="${scala%%-*}"
  version="${core##*-}"
  case "$version" in
    3.5.*) echo 3.5 ;;
    4.*) echo 4.1 ;;
    *) echo "spark-line: Spark $version (Scala $scala) at $1: sparkprop builds for Spark 3.5 (Scala 2.12) and 4.x (Scala 2.13)" >&2; return 2 ;;
  esac
}

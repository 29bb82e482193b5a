#!/usr/bin/env bash
# Usage: scripts/testimages-secrets.sh   — builds the secrets-and-hygiene test image once (stamped; a second run only
# checks) with the private dockerd, on top of bulwark-test/bookworm:12 (scripts/testimages.sh builds that), and writes
# .bulwark-work/images/secrets/manifest.env (read by the secret and hygiene tests).
#
# Every planted secret is fake but structurally real: keys made here by openssl / ssh-keygen / gpg, tokens with their
# real prefixes and, where the format has one, a valid checksum (GitHub and npm tokens: CRC32 in base62). The list of
# what was planted where, with the full values, is planted.tsv beside the manifest: the tests compare against it and
# check that no report ever prints a whole value.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.bulwark-work"
OUT="$WORK/images/secrets"
B="$OUT/build"
LOG="$OUT/logs"
SOCK="$WORK/dockerd/docker.sock"
DOCKER_BIN="$(command -v /usr/bin/docker || command -v docker || true)"
BASE_IMAGE="bulwark-test/bookworm:12"
IMAGE="bulwark-test/secrets:1"
# Bump when the image's recipe below changes: the stamp then no longer matches and the image is rebuilt.
RECIPE=5

die() { echo "testimages-secrets.sh: $*" >&2; exit 1; }
run() {
  local name="$1"; shift
  if ! "$@" >"$LOG/$name.log" 2>&1; then
    echo "testimages-secrets.sh: step '$name' failed: $*" >&2
    tail -30 "$LOG/$name.log" >&2
    exit 1
  fi
}
dk() { "$DOCKER_BIN" -H "unix://$SOCK" "$@"; }

for t in openssl ssh-keygen gpg python3 skopeo; do command -v "$t" >/dev/null || die "$t is missing: run scripts/install.sh"; done
[ -n "$DOCKER_BIN" ] || die "docker client is missing: run scripts/install.sh"
mkdir -p "$OUT" "$LOG"

"$ROOT/scripts/dockerd.sh" start
if ! dk image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  [ -s "$WORK/images/bookworm.tar" ] || die "$BASE_IMAGE is not built: run scripts/testimages.sh first"
  run load-base dk load -i "$WORK/images/bookworm.tar"
fi
BASE_ID="$(dk image inspect -f '{{.Id}}' "$BASE_IMAGE")"
STAMP="$RECIPE $BASE_ID"
if [ -f "$OUT/.stamp" ] && [ "$(cat "$OUT/.stamp")" = "$STAMP" ] && [ -s "$OUT/secrets.tar" ] && [ -s "$OUT/manifest.env" ] \
  && [ -d "$OUT/corpus-rootfs/etc/ssl/certs" ]; then
  exit 0
fi
rm -f "$OUT/.stamp" "$OUT/manifest.env"

# ------------------------------------------------------------------ the planted secrets
rm -rf "$B"; mkdir -p "$B/ctx/app/config" "$B/ctx/keys" "$B/gnupg"
chmod 700 "$B/gnupg"
C="$B/ctx"
run rsa openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$C/keys/id_rsa"
run ec openssl ecparam -name prime256v1 -genkey -noout -out "$C/keys/ec.pem"
run ssh ssh-keygen -q -t ed25519 -N '' -C fixture -f "$C/keys/id_ed25519"
run pgp gpg --homedir "$B/gnupg" --batch --pinentry-mode loopback --passphrase '' \
  --quick-generate-key 'Bulwark Fixture <fixture@example.invalid>' ed25519 sign never
run pgp-export sh -c "gpg --homedir '$B/gnupg' --batch --pinentry-mode loopback --passphrase '' --armor --export-secret-keys > '$C/keys/signing.asc'"
# A public certificate beside the keys: public material is not a secret and must not be reported.
run cert openssl req -x509 -new -key "$C/keys/id_rsa" -subj /CN=fixture -days 30 -out "$C/app/config/server.crt"

python3 - "$B" <<'PY'
import base64, binascii, hashlib, hmac, json, os, secrets, string, sys
b = sys.argv[1]; c = os.path.join(b, "ctx")
ALNUM = string.ascii_letters + string.digits
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
def rnd(n, alphabet=ALNUM): return "".join(secrets.choice(alphabet) for _ in range(n))
def base62(n, width):
    s = ""
    while n: n, r = divmod(n, 62); s = B62[r] + s
    return s.rjust(width, "0")
def crc_token(prefix):
    body = rnd(30)
    return prefix + body + base62(binascii.crc32(body.encode()) & 0xffffffff, 6)
def b64u(x): return base64.urlsafe_b64encode(x).rstrip(b"=").decode()

planted = []
def plant(rule, path, value): planted.append((rule, path, value))

aws_id = "AKIA" + rnd(16, string.ascii_uppercase + "234567")
aws_secret = rnd(40, ALNUM + "+/")
github = crc_token("ghp_")
npm = crc_token("npm_")
gitlab = "glpat-" + rnd(20, ALNUM + "-_")
slack = "xoxb-" + rnd(11, string.digits) + "-" + rnd(12, string.digits) + "-" + rnd(24)
pypi = "pypi-AgEIcHlwaS5vcmc" + rnd(70, ALNUM + "-_")
azure_key = base64.b64encode(os.urandom(64)).decode()
db_password = "Zq" + rnd(14)
jwt_head = b64u(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
jwt_body = b64u(json.dumps({"sub": "fixture", "iat": 1700000000, "role": "admin"}).encode())
jwt_sig = b64u(hmac.new(os.urandom(32), (jwt_head + "." + jwt_body).encode(), hashlib.sha256).digest())
jwt = jwt_head + "." + jwt_body + "." + jwt_sig
docker_auth = base64.b64encode(("deploy:" + rnd(20)).encode()).decode()
build_arg = crc_token("ghp_")
env_secret = rnd(40, ALNUM + "+/")

with open(os.path.join(c, "app/config/aws-credentials"), "w") as f:
    f.write("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = eu-west-1\n" % (aws_id, aws_secret))
plant("aws-access-key-id", "/root/.aws/credentials", aws_id)
plant("aws-secret-access-key", "/root/.aws/credentials", aws_secret)
with open(os.path.join(c, "app/config/settings.yaml"), "w") as f:
    f.write("# deployment settings\nlog_level: info\ngithub:\n  token: %s\nslack_bot_token: \"%s\"\n"
            "database_url: postgres://app:%s@db:5432/app\n" % (github, slack, db_password))
plant("github-pat", "/app/config/settings.yaml", github)
plant("slack-token", "/app/config/settings.yaml", slack)
plant("password-in-url", "/app/config/settings.yaml", db_password)
with open(os.path.join(c, "app/config/npmrc"), "w") as f:
    f.write("registry-auth-token-for-ci\n//npm.registry.invalid/:_authToken=%s\n" % npm)
plant("npm-token", "/root/.npmrc", npm)
with open(os.path.join(c, "app/config/pypirc"), "w") as f:
    f.write("[pypi]\nusername = __token__\npassword = %s\n" % pypi)
plant("pypi-token", "/root/.pypirc", pypi)
with open(os.path.join(c, "app/config/gitlab-ci.env"), "w") as f:
    f.write("CI_JOB=build\nGITLAB_TOKEN=%s\n" % gitlab)
plant("gitlab-pat", "/app/config/gitlab-ci.env", gitlab)
with open(os.path.join(c, "app/config/azure.conf"), "w") as f:
    f.write("storage=DefaultEndpointsProtocol=https;AccountName=fixturestore;AccountKey=%s;EndpointSuffix=core.invalid\n" % azure_key)
plant("azure-storage-key", "/app/config/azure.conf", azure_key)
with open(os.path.join(c, "app/dotenv"), "w") as f:
    f.write("NODE_ENV=production\nDB_PASSWORD=%s\nSESSION_JWT=%s\n" % (db_password + "x", jwt))
plant("dotenv-secret", "/app/.env", db_password + "x")
plant("jwt", "/app/.env", jwt)
with open(os.path.join(c, "app/config/docker-config.json"), "w") as f:
    json.dump({"auths": {"registry.fixture.invalid": {"auth": docker_auth}}}, f, indent=2)
plant("docker-config-auth", "/root/.docker/config.json", docker_auth)
pk = open(os.path.join(c, "keys/id_rsa")).read()
gcp_key_id = rnd(40, "0123456789abcdef")
with open(os.path.join(c, "app/config/gcp-sa.json"), "w") as f:
    json.dump({"type": "service_account", "project_id": "fixture-project", "private_key_id": gcp_key_id,
               "private_key": pk, "client_email": "fixture@fixture-project.iam.gserviceaccount.com",
               "client_id": rnd(21, string.digits), "token_uri": "https://oauth2.invalid/token"}, f, indent=2)
plant("gcp-service-account", "/app/config/gcp-sa.json", gcp_key_id)
for rule, path, name in [("private-key", "/root/.ssh/id_rsa", "id_rsa"), ("private-key", "/etc/ssl/private/ec.pem", "ec.pem"),
                         ("private-key", "/home/deploy/.ssh/id_ed25519", "id_ed25519"), ("private-key", "/app/keys/signing.asc", "signing.asc")]:
    # the first line of the key's base64 body (armor headers and blank lines skipped)
    body = [l for l in open(os.path.join(c, "keys", name)).read().strip().splitlines()[1:] if l.strip() and ":" not in l]
    plant(rule, path, body[0])
plant("build-arg", "history", build_arg)
plant("env-secret", "config", env_secret)
with open(os.path.join(b, "planted.tsv"), "w") as f:
    for p in planted: f.write("\t".join(p) + "\n")
with open(os.path.join(b, "build-args"), "w") as f:
    f.write("DEPLOY_TOKEN=%s\nAPI_SECRET=%s\n" % (build_arg, env_secret))
PY

# Waste, hygiene problems and the key added in one layer and deleted in the next.
cat >"$C/Dockerfile" <<'DOCKERFILE'
FROM bulwark-test/bookworm:12
ARG DEPLOY_TOKEN
ARG API_SECRET
ENV API_SECRET=${API_SECRET} APP_HOME=/app
LABEL org.opencontainers.image.title="bulwark secrets fixture"
# the key copied in one layer and deleted in the next: still in the image for anyone who pulls it
COPY keys/id_rsa /root/.ssh/id_rsa
RUN rm /root/.ssh/id_rsa
COPY keys/ec.pem /etc/ssl/private/ec.pem
COPY keys/id_ed25519 /home/deploy/.ssh/id_ed25519
COPY keys/id_ed25519.pub /home/deploy/.ssh/id_ed25519.pub
COPY keys/signing.asc /app/keys/signing.asc
COPY app/ /app/
ADD app/config/aws-credentials /root/.aws/credentials
RUN mv /app/config/npmrc /root/.npmrc && mv /app/config/pypirc /root/.pypirc && mkdir -p /root/.docker \
 && mv /app/config/docker-config.json /root/.docker/config.json && mv /app/dotenv /app/.env
RUN echo "fetching with token $DEPLOY_TOKEN" > /dev/null
RUN apt-get update || true
RUN dd if=/dev/urandom of=/app/blob.bin bs=1M count=4 2>/dev/null && dd if=/dev/urandom of=/app/data.bin bs=1M count=2 2>/dev/null
RUN rm /app/blob.bin && dd if=/dev/urandom of=/app/data.bin bs=1M count=2 2>/dev/null
RUN mkdir -p /var/lib/apt/lists /root/.cache/pip/http/a /root/.npm/_cacache/content-v2 /var/cache/apk \
 && head -c 300000 /dev/urandom > /var/lib/apt/lists/mirror_dists_bookworm_main_binary-amd64_Packages \
 && head -c 200000 /dev/urandom > /root/.cache/pip/http/a/entry \
 && head -c 100000 /dev/urandom > /root/.npm/_cacache/content-v2/blob \
 && head -c 50000 /dev/urandom > /var/cache/apk/APKINDEX.fixture.tar.gz
RUN cp /bin/true /usr/local/bin/suidtool && chmod 4755 /usr/local/bin/suidtool \
 && cp /bin/true /usr/sbin/sshd && mkdir -m 777 /app/shared && touch /app/shared-notes.txt && chmod 666 /app/shared-notes.txt
CMD ["bash"]
DOCKERFILE

mapfile -t ARGS < <(sed 's/^/--build-arg=/' "$B/build-args")
dk image rm -f "$IMAGE" >/dev/null 2>&1 || true
# The legacy builder needs no network: COPY is done by the daemon, RUN steps run with --network=none.
run build env DOCKER_BUILDKIT=0 "$DOCKER_BIN" -H "unix://$SOCK" build -q --network=none --rm --force-rm "${ARGS[@]}" -t "$IMAGE" "$C"
rm -f "$OUT/secrets.tar.tmp"
run save dk save -o "$OUT/secrets.tar.tmp" "$IMAGE"
mv "$OUT/secrets.tar.tmp" "$OUT/secrets.tar"
rm -rf "$OUT/oci.tmp"
run oci skopeo --insecure-policy copy -q "docker-archive:$OUT/secrets.tar:$IMAGE" "oci:$OUT/oci.tmp:1"
rm -rf "$OUT/oci"; mv "$OUT/oci.tmp" "$OUT/oci"
cp "$B/planted.tsv" "$OUT/planted.tsv"
rm -rf "$B/ctx" "$B/gnupg"

# ------------------------------------------------------------------ the non-secret corpus
# A real Debian root filesystem with the CA bundle (made by ca-certificates' own postinst), OpenSSL and Python
# packages that ship certificates and docs: public material that must give no finding. Same apt sources as
# scripts/testimages.sh. ssl-cert is left out on purpose: it makes a real (snakeoil) private key.
CORPUS="$OUT/corpus-rootfs"
if [ ! -d "$CORPUS/etc/ssl/certs" ]; then
  [ -s "$WORK/images/bookworm-rootfs.sources" ] || die "run scripts/testimages.sh first (bookworm-rootfs.sources is missing)"
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: run scripts/install.sh"
  mapfile -t SOURCES <"$WORK/images/bookworm-rootfs.sources"
  rm -rf "$CORPUS" "$CORPUS.tar" "$CORPUS.tmp"
  run corpus mmdebstrap --variant=minbase --include=ca-certificates,openssl,python3-certifi,python3-requests,libssl-doc \
    --format=tar bookworm "$CORPUS.tar" "${SOURCES[@]}" </dev/null
  mkdir -p "$CORPUS.tmp"
  run corpus-unpack tar -x --numeric-owner --same-permissions --exclude='./dev/*' -f "$CORPUS.tar" -C "$CORPUS.tmp"
  rm -f "$CORPUS.tar"
  mv "$CORPUS.tmp" "$CORPUS"
fi

cat >"$OUT/manifest.env" <<ENV
# Written by scripts/testimages-secrets.sh; read by the secret and hygiene tests of bulwark-scan and bulwark-cli.
SECRETS_IMAGE=$IMAGE
SECRETS_IMAGE_ID=$(dk image inspect -f '{{.Id}}' "$IMAGE")
SECRETS_DOCKER_ARCHIVE=$OUT/secrets.tar
SECRETS_OCI_DIR=$OUT/oci
SECRETS_OCI_REF=1
SECRETS_PLANTED=$OUT/planted.tsv
SECRETS_DELETED_KEY=/root/.ssh/id_rsa
SECRETS_WASTED_FILE=/app/blob.bin
SECRETS_CORPUS_ROOTFS=$CORPUS
ENV
printf '%s' "$STAMP" >"$OUT/.stamp"

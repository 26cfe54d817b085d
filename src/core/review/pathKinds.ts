/**
 * What a changed path is, for the risk score: documentation and tests lower the risk, build and
 * dependency files and the sensitive areas raise it. Path rules only — the content signals (SQL)
 * live in riskFeatures.ts.
 */
export type PathKind = 'docs' | 'test' | 'buildConfig' | 'code';

// Checked before docs: requirements.txt and CMakeLists.txt are not documentation.
const BUILD_CONFIG = [
  /(^|\/)(package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?)$/i,
  /(^|\/)(requirements[\w.-]*\.txt|pyproject\.toml|setup\.py|setup\.cfg|pipfile(\.lock)?|poetry\.lock|uv\.lock)$/i,
  /(^|\/)(go\.mod|go\.sum|cargo\.toml|cargo\.lock|gemfile(\.lock)?|composer\.(json|lock)|pom\.xml|cmakelists\.txt|makefile)$/i,
  /(^|\/)(build\.gradle(\.kts)?|settings\.gradle(\.kts)?|gradle\.properties|dockerfile|docker-compose[\w.-]*\.ya?ml)$/i,
  /(^|\/)\.github\/workflows\//i,
  /(^|\/)\.gitlab-ci\.yml$/i,
];

const TEST_PATHS = [
  /(^|\/)(tests?|__tests__|specs?|testdata|test-data|fixtures?|__mocks__|e2e)\//i,
  /\.(test|spec)\.[cm]?[jt]sx?$/i,
  /_test\.(go|py|rb|exs?)$/i,
  /(^|\/)test_[^/]*\.py$/i,
  /(^|\/)[^/]*Tests?\.(java|kt|cs|swift|scala)$/,
  /_spec\.rb$/i,
];

const DOC_PATHS = [
  /\.(md|mdx|markdown|rst|adoc|asciidoc)$/i,
  /(^|\/)(docs?|documentation)\//i,
  /(^|\/)(license|licence|copying|notice|authors|contributors|changelog|changes)(\.[\w]+)?$/i,
];

export function pathKind(path: string): PathKind {
  if (BUILD_CONFIG.some((re) => re.test(path))) return 'buildConfig';
  if (TEST_PATHS.some((re) => re.test(path))) return 'test';
  if (DOC_PATHS.some((re) => re.test(path))) return 'docs';
  return 'code';
}

/**
 * Areas where a quiet mistake is expensive (ARCHITECTURE.md idea 5). Matched against the lowercased
 * path, so camelCase names (authService.ts) and folders (payments/) both count; an occasional false
 * positive only buys a deeper review.
 */
export const SENSITIVE_AREAS: Readonly<Record<string, RegExp>> = {
  auth: /(auth(?!or)|login|logout|passw(or)?d|oauth|sso|session|permission|rbac|jwt|credential)/,
  payment: /(payment|billing|invoice|checkout|refund|subscription|stripe|paypal|ledger)/,
  security: /(security|crypto|encrypt|decrypt|secret|sanitiz|csrf|xss|cors|certificate|keystore)/,
  migration: /(migrations?\/|migrate|(^|\/)schema[^/]*$|\.sql$|alembic|flyway|liquibase)/,
};

/** The sensitive areas a path falls in; documentation and tests never count (docs/auth.md is prose). */
export function sensitiveAreasOf(path: string): string[] {
  const kind = pathKind(path);
  if (kind === 'docs' || kind === 'test') return [];
  const lower = path.toLowerCase();
  return Object.keys(SENSITIVE_AREAS).filter((area) => SENSITIVE_AREAS[area]?.test(lower));
}

// k8s.mjs - offline validation of the Kubernetes manifests in etc/k8s.
//
//   node tools/validate/k8s.mjs NODE_DIR K8S_DIR
//
// NODE_DIR holds node_modules with kubernetes-models 4.x (JSON-schema validation:
// types, required fields, enums), @kubernetes/client-node (its generated model type
// maps, walked to reject unknown or misspelt fields) and js-yaml. Also checks what
// neither can: the kustomization lists every manifest, selectors match the pod
// labels, named ports exist, and the shutdown budget fits terminationGracePeriodSeconds.
// Prints one line per problem and exits 1 if there is any.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [nodeDir, k8sDir] = process.argv.slice(2);
if (!nodeDir || !k8sDir) {
	console.error('usage: k8s.mjs NODE_DIR K8S_DIR');
	process.exit(2);
}
const nm = resolve(nodeDir, 'node_modules');
const require = createRequire(join(nm, 'noop.js'));
const yaml = require('js-yaml');
// Not the package root: it crashes on Node 20.
const models = await import(pathToFileURL(join(nm, '@kubernetes/client-node/dist/gen/models/all.js')).href);

const problems = [];
const bad = (file, msg) => problems.push(`${file}: ${msg}`);

const primitive = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString', 'RawExtension']);
function walk(file, obj, type, path) {
	if (obj === null || obj === undefined) return;
	let m;
	if ((m = /^Array<(.+)>$/.exec(type))) {
		if (!Array.isArray(obj)) return bad(file, `${path}: expected a list`);
		obj.forEach((v, i) => walk(file, v, m[1], `${path}[${i}]`));
		return;
	}
	if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) {
		if (typeof obj !== 'object' || Array.isArray(obj)) return bad(file, `${path}: expected a mapping`);
		for (const [k, v] of Object.entries(obj)) walk(file, v, m[1], `${path}.${k}`);
		return;
	}
	if (primitive.has(type)) return;
	const cls = models[type];
	if (!cls || typeof cls.getAttributeTypeMap !== 'function') return; // enum or unknown: schema check covers it
	if (typeof obj !== 'object' || Array.isArray(obj)) return bad(file, `${path}: expected a mapping (${type})`);
	const attrs = cls.getAttributeTypeMap();
	for (const [k, v] of Object.entries(obj)) {
		const a = attrs.find((x) => x.baseName === k);
		if (!a) {
			const near = attrs.map((x) => x.baseName).filter((n) => n.toLowerCase() === k.toLowerCase() || lev(n, k) <= 2);
			bad(file, `${path ? path + '.' : ''}${k}: unknown field in ${type}${near.length ? `; did you mean '${near[0]}'?` : ''}`);
			continue;
		}
		walk(file, v, a.type, `${path ? path + '.' : ''}${k}`);
	}
}
function lev(a, b) {
	const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
	for (let j = 1; j <= b.length; j++) d[0][j] = j;
	for (let i = 1; i <= a.length; i++)
		for (let j = 1; j <= b.length; j++)
			d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
	return d[a.length][b.length];
}

const docs = [];
let kustomization = null;
for (const f of readdirSync(k8sDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
	let parsed;
	try {
		parsed = yaml.loadAll(readFileSync(join(k8sDir, f), 'utf8'));
	} catch (e) {
		bad(f, `YAML: ${e.message.split('\n')[0]}`);
		continue;
	}
	for (const d of parsed.filter(Boolean)) {
		if (d.kind === 'Kustomization') {
			kustomization = { file: f, doc: d };
			continue;
		}
		docs.push({ file: f, doc: d });
	}
}

for (const { file, doc } of docs) {
	const { apiVersion, kind } = doc;
	if (!apiVersion || !kind) {
		bad(file, 'apiVersion and kind are required');
		continue;
	}
	const version = apiVersion.split('/').pop();
	// 1. kubernetes-models: the OpenAPI schema (types, required fields, enums).
	const modPath = join(nm, 'kubernetes-models', apiVersion, 'index.mjs');
	if (!existsSync(modPath)) {
		bad(file, `${kind}: unknown apiVersion ${apiVersion}`);
		continue;
	}
	const mod = await import(pathToFileURL(modPath).href);
	if (!mod[kind]) {
		bad(file, `unknown kind ${kind} in ${apiVersion}`);
		continue;
	}
	try {
		new mod[kind](doc).validate();
	} catch (e) {
		bad(file, `${kind} ${doc.metadata?.name}: schema: ${e.message}`);
	}
	// 2. client-node type maps: no field that the API does not know.
	walk(file, doc, `V${version.slice(1)}${kind}`.replace(/^Vv/, 'V'), '');
}

// 3. Cross-resource checks.
const byKind = (k) => docs.filter((d) => d.doc.kind === k).map((d) => d.doc);
const labelsMatch = (sel, labels) => Object.entries(sel || {}).every(([k, v]) => labels?.[k] === v);
if (!kustomization) bad('kustomization.yaml', 'missing');
else {
	const res = kustomization.doc.resources || [];
	for (const r of res) if (!existsSync(join(k8sDir, r))) bad(kustomization.file, `resource ${r} does not exist`);
	for (const f of new Set(docs.map((d) => d.file)))
		if (!res.includes(f)) bad(kustomization.file, `${f} is not listed in resources`);
	const known = new Set(['apiVersion', 'kind', 'namespace', 'labels', 'commonLabels', 'resources', 'images', 'configMapGenerator', 'secretGenerator', 'patches', 'replicas', 'namePrefix', 'nameSuffix', 'commonAnnotations', 'components', 'generatorOptions']);
	for (const k of Object.keys(kustomization.doc)) if (!known.has(k)) bad(kustomization.file, `${k}: unknown kustomization field`);
}
const cms = Object.fromEntries(byKind('ConfigMap').map((c) => [c.metadata.name, c.data || {}]));
const secrets = Object.fromEntries(byKind('Secret').map((s) => [s.metadata.name, { ...(s.stringData || {}), ...(s.data || {}) }]));
for (const dep of byKind('Deployment')) {
	const f = 'deployment.yaml';
	const pod = dep.spec.template;
	if (!labelsMatch(dep.spec.selector.matchLabels, pod.metadata.labels)) bad(f, 'selector does not match the pod labels');
	const env = {};
	for (const c of pod.spec.containers) {
		for (const ef of c.envFrom || []) {
			if (ef.configMapRef && !cms[ef.configMapRef.name]) bad(f, `ConfigMap ${ef.configMapRef.name} is not defined`);
			Object.assign(env, cms[ef.configMapRef?.name] || {});
		}
		for (const e of c.env || []) env[e.name] = e.value;
		const ports = new Set((c.ports || []).map((p) => p.name));
		for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
			const p = c[probe]?.httpGet?.port;
			if (!c[probe]) bad(f, `${c.name}: no ${probe}`);
			else if (typeof p === 'string' && !ports.has(p)) bad(f, `${c.name}.${probe}: no port named ${p}`);
		}
		const sc = c.securityContext || {};
		if (sc.readOnlyRootFilesystem !== true) bad(f, `${c.name}: readOnlyRootFilesystem must be true`);
		if (sc.allowPrivilegeEscalation !== false) bad(f, `${c.name}: allowPrivilegeEscalation must be false`);
		if (!(sc.capabilities?.drop || []).includes('ALL')) bad(f, `${c.name}: capabilities must drop ALL`);
		if ((sc.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot) !== true) bad(f, `${c.name}: runAsNonRoot must be true`);
		if ((sc.runAsUser ?? pod.spec.securityContext?.runAsUser) !== 10001) bad(f, `${c.name}: runAsUser must be 10001`);
		if ((sc.seccompProfile?.type ?? pod.spec.securityContext?.seccompProfile?.type) !== 'RuntimeDefault') bad(f, `${c.name}: seccompProfile must be RuntimeDefault`);
		if (!c.resources?.requests || !c.resources?.limits) bad(f, `${c.name}: resources.requests and limits are required`);
	}
	for (const v of pod.spec.volumes || [])
		if (v.secret) {
			const s = secrets[v.secret.secretName];
			if (!s) bad(f, `Secret ${v.secret.secretName} is not defined`);
			else for (const it of v.secret.items || []) if (!(it.key in s)) bad(f, `Secret ${v.secret.secretName} has no key ${it.key}`);
		}
	if (env.MEDLEY_SERVER_LISTEN !== '0.0.0.0' && env.MEDLEY_SERVER_LISTEN !== '::') bad(f, 'MEDLEY_SERVER_LISTEN must be 0.0.0.0 or :: in a pod');
	if (!env.MEDLEY_CONTACT) bad(f, 'MEDLEY_CONTACT is required (serve refuses to start without it)');
	const drain = Number(env.MEDLEY_SERVER_DRAIN_S ?? 0), grace = Number(env.MEDLEY_SERVER_SHUTDOWN_GRACE_S ?? 10);
	const tgps = pod.spec.terminationGracePeriodSeconds ?? 30;
	if (!(tgps > drain + grace)) bad(f, `terminationGracePeriodSeconds ${tgps} must exceed drain_s ${drain} + shutdown_grace_s ${grace}`);
	for (const svc of byKind('Service'))
		if (!labelsMatch(svc.spec.selector, pod.metadata.labels)) bad('service.yaml', `${svc.metadata.name}: selector matches no pod`);
	for (const pdb of byKind('PodDisruptionBudget')) {
		if (!labelsMatch(pdb.spec.selector.matchLabels, pod.metadata.labels)) bad('pdb.yaml', 'selector matches no pod');
		if (typeof pdb.spec.minAvailable === 'number' && pdb.spec.minAvailable >= dep.spec.replicas) bad('pdb.yaml', 'minAvailable >= replicas blocks every eviction');
	}
	for (const hpa of byKind('HorizontalPodAutoscaler')) {
		const t = hpa.spec.scaleTargetRef;
		if (t.kind !== 'Deployment' || t.name !== dep.metadata.name) bad('hpa.yaml', `scaleTargetRef ${t.kind}/${t.name} is not the Deployment`);
		if (hpa.spec.minReplicas > dep.spec.replicas) bad('hpa.yaml', 'minReplicas above the Deployment replicas');
	}
	for (const np of byKind('NetworkPolicy'))
		if (!labelsMatch(np.spec.podSelector.matchLabels, pod.metadata.labels)) bad('networkpolicy.yaml', 'podSelector matches no pod');
}
for (const svc of byKind('Service')) {
	const names = new Set(byKind('Deployment').flatMap((d) => d.spec.template.spec.containers.flatMap((c) => (c.ports || []).map((p) => p.name))));
	for (const p of svc.spec.ports) if (typeof p.targetPort === 'string' && !names.has(p.targetPort)) bad('service.yaml', `targetPort ${p.targetPort} is no container port`);
}

for (const p of problems) console.log(p);
console.log(`k8s: ${docs.length} objects in ${new Set(docs.map((d) => d.file)).size} files, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);

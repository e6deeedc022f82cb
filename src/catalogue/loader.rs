//! Loader diagnostic codes (`vpcreach inventory`): reading the snapshot's files and building
//! the model. Their kebab-case names are part of the JSON contract. A diagnostic carries its own
//! severity; the one here is the usual one.

/// Appends the loader family to the chain (see the module doc of `catalogue`).
macro_rules! loader_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Loader]

Unreadable("unreadable") => {
    severity: Error,
    summary: "A file or directory could not be read",
    what: "Reading a file or listing a folder of the snapshot failed (permissions, an I/O \
error, a file that vanished while loading). The diagnostic gives the path and the system \
error.",
    why: "Everything in that file is missing from the model; verdicts that depend on it may \
be wrong.",
    fix: "Fix the permissions or re-copy the snapshot, and load it again.",
    example: "vpcreach inventory --snapshot /proc/self/mem",
},

JsonSyntax("json-syntax") => {
    severity: Error,
    summary: "The file is not valid JSON",
    what: "A `.json` file of the snapshot is not valid JSON, or not UTF-8 (a truncated copy, a \
CLI error message saved as output, a pager's escape codes).",
    why: "The whole file is skipped.",
    fix: "Re-run the AWS CLI command with `--output json` (or `vpcreach collect`) and replace \
the file.",
    example: "vpcreach inventory --snapshot fixtures/loader/bad-input",
},

InvalidValue("invalid-value") => {
    severity: Error,
    summary: "A value has the wrong type or is out of range",
    what: "A value does not have the shape AWS prints: the wrong JSON type, an invalid CIDR \
block, a port or rule number out of range, an object where an array is expected. The \
diagnostic gives the file, the JSON pointer and what was expected.",
    why: "The element holding the value is skipped (the others beside it still load), so a \
route, rule or resource is missing from the model.",
    fix: "Correct the value at the pointer given, or re-export the file from AWS.",
    example: "vpcreach inventory --snapshot fixtures/loader/bad-input",
},

MissingField("missing-field") => {
    severity: Error,
    summary: "A required field is missing or empty",
    what: "An element lacks a field vpcreach needs, usually its id (`VpcId`, `SubnetId`), or a \
VPC without any CIDR block, a group pair without `GroupId`.",
    why: "An element without an id cannot be referenced and is skipped; others are kept with \
what is known.",
    fix: "Re-export the file with the AWS CLI; hand-written snapshots need the id fields.",
    example: "vpcreach inventory --snapshot fixtures/loader/incomplete-items",
},

UnknownKey("unknown-key") => {
    severity: Warning,
    summary: "A top-level key vpcreach does not know",
    what: "A file holds a top-level key that is neither a key vpcreach models nor one it \
knowingly ignores (`NextToken`, load balancers, databases, ...).",
    why: "If the key is a misspelling of a known one (`Subnet` for `Subnets`), that data is \
missing from the model.",
    fix: "Check the key's spelling; files must hold the output of the AWS CLI as printed.",
    example: "vpcreach inventory --snapshot fixtures/loader/key-classes",
},

ParentlessOutput("parentless-output") => {
    severity: Warning,
    summary: "Output of a call without its parent id at top level",
    what: "A file holds the output of a call whose items do not name their parent (`Routes`, \
`Entries`, `Associations` of a single route table or ACL), so vpcreach cannot tell which \
resource they belong to.",
    why: "Those items are ignored.",
    fix: "Export the parent listing instead (`describe-route-tables` carries its routes), or \
use vpcreach's wrapper keys that carry the parent id.",
    example: "vpcreach inventory --snapshot fixtures/loader/key-classes",
},

DanglingReference("dangling-reference") => {
    severity: Warning,
    summary: "A reference to an id that is not in the snapshot",
    what: "An element names a resource that is not in the snapshot: a route to a deleted \
peering, a rule naming a deleted group (STALE_SG_REFERENCE) or a group of another account \
(UNKNOWN_PEERED_SGS, a note), an interface whose subnet is missing, a prefix list that was not \
collected (UNRESOLVED_PREFIX_LIST). The element is kept.",
    why: "Paths through the missing resource stop there; rules naming it match nothing.",
    fix: "Collect the missing resource (another account or region) or clean up the stale \
reference in AWS.",
    example: "vpcreach inventory --snapshot fixtures/loader/dangling",
},

DuplicateId("duplicate-id") => {
    severity: Warning,
    summary: "The same id twice with different content",
    what: "Two files (or two items) describe the same resource differently, usually exports \
taken at different times. Which one AWS holds is unknown and file order must not decide it: \
neither is used, and the id is an element that failed to load (what depends on it is unknown, \
SNAPSHOT_INCOMPLETE). Identical duplicates are silent (one is kept).",
    why: "Keeping either copy could follow the wrong version of the resource.",
    fix: "Remove the stale copy, or take a fresh snapshot in one go.",
    example: "vpcreach inventory --snapshot fixtures/loader/duplicates",
},

InferredScope("inferred-scope") => {
    severity: Note,
    summary: "Account or region guessed",
    what: "The account or region of a folder was taken from file contents (`OwnerId`, \
Availability Zone names) or a convention rather than from the path \
(`<account>/<region>/`). When nothing tells, the account is `default` or the region `unknown` \
(a warning).",
    why: "Ids are looked up per account and region; a wrong guess can mix two scopes.",
    fix: "Lay the snapshot out as `<account>/<region>/*.json` (what `vpcreach collect` \
writes).",
    example: "vpcreach inventory --snapshot fixtures/loader/flat",
},

AssumedDefault("assumed-default") => {
    severity: Note,
    summary: "A default assumed for missing data",
    what: "The snapshot lacks data vpcreach needs and AWS has a default for: VPC DNS \
attributes, a cache's port, an ElastiCache node's address when no interface matches. The \
diagnostic says what was assumed.",
    why: "Verdicts hold as long as the default does.",
    fix: "Collect the missing call (`describe-vpc-attribute`, the cache's network interfaces) \
to replace the assumption by data.",
    example: "vpcreach inventory --snapshot fixtures/loader/cache",
},

Inconsistent("inconsistent") => {
    severity: Warning,
    summary: "Data that contradicts other data",
    what: "Two parts of the snapshot disagree: an attachment's `Association` that the \
association listing does not have, an active peering between overlapping VPCs. vpcreach says \
which one it used.",
    why: "The snapshot was probably taken during a change; verdicts may follow the wrong \
version.",
    fix: "Take a new snapshot once the change is complete.",
    example: "vpcreach inventory --snapshot fixtures/loader/wrappers",
},

SnapshotIncomplete("snapshot-incomplete") => {
    severity: Warning,
    summary: "The snapshot says a listing is incomplete",
    what: "The snapshot itself records missing data: a call that failed in `vpcreach \
collect`'s manifest, or a listing cut short (`AdditionalRoutesAvailable: true`). Answers that \
depend on it carry the engine's SNAPSHOT_INCOMPLETE warning.",
    why: "Resources of that kind are missing for that account and region.",
    fix: "Re-collect with the missing permissions, or export the full listing.",
    example: "vpcreach inventory --snapshot fixtures/loader/manifest",
},

ImpossibleValue("impossible-value") => {
    severity: Warning,
    summary: "A value AWS never prints, read with a stated interpretation",
    what: "A value parses but cannot be what AWS holds: a tcp/udp port range with `-1` on one \
end only (read with that end open, never as all ports), a CIDR with host bits set \
(`203.0.113.10/24`, read as its network `203.0.113.0/24`), a subnet outside its VPC's blocks, \
two subnets of one VPC with one CIDR, a NACL entry numbered 32767 that allows (32767 is \
AWS's reserved default deny), a route with two targets. The diagnostic says how it was read \
(or that the element was skipped). Answers whose path meets the NACL, route table or security \
group holding it carry it as a SNAPSHOT_INCOMPLETE warning.",
    why: "The snapshot was edited by hand or corrupted; a silent reading could make a verdict \
wrong in either direction.",
    fix: "Correct the value at the pointer given, or re-export the file from AWS.",
    example: "vpcreach inventory --snapshot fixtures/loader/impossible-values",
},

DuplicateKey("duplicate-key") => {
    severity: Warning,
    summary: "A top-level key twice in one file",
    what: "One file holds the same top-level key twice (`{\"Vpcs\": [...], \"Vpcs\": [...]}`), \
usually two outputs pasted together. JSON parsers keep only one of them; vpcreach reads both \
lists, as if they came from two files, and says so.",
    why: "Silently keeping the last list would drop the resources of the first.",
    fix: "Split the outputs into two files, or merge the two lists into one.",
    example: "vpcreach inventory --snapshot fixtures/loader/rejected-elements",
},

Encoding("encoding") => {
    severity: Note,
    summary: "A file in UTF-16 or with a byte-order mark, read anyway",
    what: "A `.json` file starts with a byte-order mark: UTF-8 with a BOM (what Windows editors and PowerShell 7's `Out-File -Encoding utf8BOM` write) or UTF-16 (what PowerShell 5's `>` and `Out-File` write by default). JSON is UTF-8 without a BOM (RFC 8259); vpcreach decodes the file anyway and says so.",
    why: "Nothing is lost; the note tells you why another tool may refuse the same file.",
    fix: "Export with `aws ... --output json | Out-File -Encoding utf8` (PowerShell 7: `utf8NoBOM`), or convert the file: `iconv -f UTF-16 -t UTF-8`.",
    example: "vpcreach inventory --snapshot fixtures/loader/encodings",
},

NotARegularFile("not-a-regular-file") => {
    severity: Error,
    summary: "A path of the snapshot is not a regular file or folder, or is too large",
    what: "A `.json` path is a FIFO, a socket or a device (`/dev/zero`), or a file larger than the size cap (`VPCREACH_MAX_FILE_BYTES`, default 2 GiB): vpcreach does not read it, instead of hanging on a pipe or reading until memory runs out. Symbolic links are followed; a link that points nowhere, or a loop of linked folders, is reported here too.",
    why: "Everything in that file is missing from the model.",
    fix: "Point `--snapshot` at the folder or file that holds the JSON itself, or raise the cap for a genuinely huge export.",
    example: "vpcreach inventory --snapshot fixtures/loader/links/snapshot",
},

InvalidTimestamp("invalid-timestamp") => {
    severity: Warning,
    summary: "A timestamp that cannot be parsed",
    what: "A timestamp (a transit gateway attachment's `CreationTime`) is not in the ISO 8601 \
form AWS prints.",
    why: "Creation times order overlapping propagations into a transit gateway table; without \
one, the attachment sorts last and the computed winner may be wrong.",
    fix: "Re-export the attachment listing, or correct the timestamp.",
    example: "vpcreach inventory --snapshot fixtures/loader/incomplete-items",
},

    } };
}

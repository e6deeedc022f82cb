#!/usr/bin/env bash
# Export an AWS network snapshot for vpcreach with the plain AWS CLI (no vpcreach binary needed).
#
#   scripts/export-snapshot.sh [--profile NAME] [--regions r1,r2,...] OUT
#
# Writes OUT/<account>/<region>/<command>.json, each file exactly what
# `aws <service> <command> --output json` prints, plus the vpcreach wrapper files for the outputs
# that carry no parent id:
#   describe-vpc-attribute.json                       VpcAttributes
#   search-transit-gateway-routes.json                TransitGatewayRoutes
#   get-transit-gateway-route-table-associations.json TransitGatewayAssociations
#   get-transit-gateway-route-table-propagations.json TransitGatewayPropagations
#   get-managed-prefix-list-entries.json              ManagedPrefixListEntries
#   describe-listeners.json                           Listeners (all load balancers, merged)
#   describe-target-health.json                       LoadBalancerTargetHealth
#   describe-target-group-attributes.json             TargetGroupAttributes
#   describe-load-balancer-attributes.json            LoadBalancerV2Attributes
#   get-resource-gateway.json                         ResourceGateways (vpc-lattice)
#   get-resource-configuration.json                   ResourceConfigurations (vpc-lattice)
# A failed call (AccessDenied, service not available in the region, old CLI) prints a warning,
# writes no file for that call and is appended to OUT/<account>/<region>/export-errors.txt.
# Read-only: only describe/get/search calls. Requires the AWS CLI (v2 recommended), jq and
# bash 3.2 or newer (macOS /bin/bash works).

set -euo pipefail

PROG=${0##*/}

usage() {
    cat <<EOF
usage: $PROG [--profile NAME] [--regions r1,r2,...] OUT

  --profile NAME   AWS CLI profile (default: the CLI's usual credential chain)
  --regions LIST   comma-separated regions (default: the profile's configured region)
  OUT              output folder; must not exist or be empty

Writes OUT/<account>/<region>/*.json for 'vpcreach' (account from sts get-caller-identity).
EOF
}

die() {
    echo "$PROG: error: $*" >&2
    exit 1
}

PROFILE=""
REGIONS=""
OUT=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --profile) [[ $# -ge 2 ]] || die "--profile needs a value"; PROFILE=$2; shift 2 ;;
        --profile=*) PROFILE=${1#*=}; shift ;;
        --regions | --region) [[ $# -ge 2 ]] || die "$1 needs a value"; REGIONS=$2; shift 2 ;;
        --regions=* | --region=*) REGIONS=${1#*=}; shift ;;
        --out) [[ $# -ge 2 ]] || die "--out needs a value"; OUT=$2; shift 2 ;;
        --out=*) OUT=${1#*=}; shift ;;
        -h | --help) usage; exit 0 ;;
        --) shift; [[ $# -gt 0 ]] && OUT=$1 && shift ;;
        -*) usage >&2; die "unknown option: $1" ;;
        *) [[ -z "$OUT" ]] || die "more than one OUT given: $OUT, $1"; OUT=$1; shift ;;
    esac
done
[[ -n "$OUT" ]] || { usage >&2; die "OUT is required"; }
[[ $# -eq 0 ]] || die "unexpected arguments: $*"

command -v aws >/dev/null 2>&1 || die "the AWS CLI ('aws') is required: https://docs.aws.amazon.com/cli/"
command -v jq >/dev/null 2>&1 || die "jq is required (apt-get install jq / brew install jq)"

if [[ -e "$OUT" && ! -d "$OUT" ]]; then
    die "$OUT exists and is not a directory"
fi
if [[ -d "$OUT" ]] && [[ -n "$(ls -A -- "$OUT")" ]]; then
    die "$OUT is not empty; refusing to write into an existing snapshot"
fi

export AWS_PAGER=""
AWS=(aws --output json)
if [[ -n "$PROFILE" ]]; then
    AWS+=(--profile "$PROFILE")
fi

if [[ -z "$REGIONS" ]]; then
    REGIONS=$("${AWS[@]}" configure get region 2>/dev/null || true)
    [[ -n "$REGIONS" ]] || die "no --regions given and the profile has no default region"
fi
IFS=',' read -r -a REGION_LIST <<<"${REGIONS// /}"
[[ ${#REGION_LIST[@]} -gt 0 ]] || die "empty --regions"
for r in "${REGION_LIST[@]}"; do
    [[ "$r" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "not a region name: '$r'"
done

ACCOUNT=$("${AWS[@]}" --region "${REGION_LIST[0]}" sts get-caller-identity \
    --query Account --output text) || die "sts get-caller-identity failed (credentials?)"
[[ "$ACCOUNT" =~ ^[0-9]{12}$ ]] || die "unexpected account id from sts: '$ACCOUNT'"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vpcreach-export.XXXXXX")
trap 'rm -rf -- "$TMP"' EXIT

REGION=""
DIR=""
ERRORS=0

# record_error CMD-DESCRIPTION STDERR-FILE: warn and log a failed call.
record_error() {
    local what=$1 errfile=$2 msg
    msg=$(grep -v '^[[:space:]]*$' "$errfile" 2>/dev/null | tail -n 1 || true)
    [[ -n "$msg" ]] || msg="no valid JSON object in the output"
    echo "$PROG: warning: $REGION: aws $what: $msg" >&2
    printf '%s\taws %s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$what" "$msg" \
        >>"$DIR/export-errors.txt"
    ERRORS=$((ERRORS + 1))
}

# call DEST AWS-ARGS...: run one read-only call in $REGION; on success move its JSON to DEST.
call() {
    local dest=$1
    shift
    if "${AWS[@]}" --region "$REGION" "$@" >"$TMP/out.json" 2>"$TMP/err.txt" &&
        jq -e 'type == "object"' "$TMP/out.json" >/dev/null 2>>"$TMP/err.txt"; then
        mv -- "$TMP/out.json" "$dest"
        return 0
    fi
    record_error "$*" "$TMP/err.txt"
    rm -f -- "$TMP/out.json"
    return 1
}

# save SERVICE COMMAND [ARGS...]: plain describe call into $DIR/COMMAND.json.
save() {
    local service=$1 command=$2
    shift 2
    call "$DIR/$command.json" "$service" "$command" "$@" || true
}

# ids FILE JQ-FILTER: print one id per line (nothing if FILE is missing).
ids() {
    [[ -f "$1" ]] || return 0
    jq -r "$2" "$1"
}

# wrap KEY DEST: write {KEY: [the element files in $TMP/elems, in order]} to DEST.
wrap() {
    local key=$1 dest=$2
    local files=("$TMP"/elems/*.json)
    if [[ -e "${files[0]}" ]]; then
        jq -s --arg k "$key" '{($k): .}' "${files[@]}" >"$dest"
    else
        jq -n --arg k "$key" '{($k): []}' >"$dest"
    fi
    rm -rf -- "$TMP/elems"
}

new_elems() {
    rm -rf -- "$TMP/elems"
    mkdir -p -- "$TMP/elems"
}

export_region() {
    REGION=$1
    DIR="$OUT/$ACCOUNT/$REGION"
    mkdir -p -- "$DIR"
    echo "$PROG: exporting account $ACCOUNT region $REGION into $DIR" >&2

    local c
    for c in describe-vpcs describe-subnets describe-route-tables describe-network-acls \
        describe-security-groups describe-instances describe-network-interfaces \
        describe-addresses describe-internet-gateways describe-egress-only-internet-gateways \
        describe-nat-gateways describe-vpc-endpoints describe-prefix-lists \
        describe-managed-prefix-lists describe-vpc-peering-connections \
        describe-transit-gateways describe-transit-gateway-attachments \
        describe-transit-gateway-vpc-attachments describe-transit-gateway-peering-attachments \
        describe-transit-gateway-route-tables describe-vpc-endpoint-service-configurations; do
        save ec2 "$c"
    done
    save elasticache describe-cache-clusters --show-cache-node-info
    save elasticache describe-replication-groups
    save elasticache describe-cache-subnet-groups
    save elasticache describe-serverless-caches
    save elbv2 describe-load-balancers
    save elbv2 describe-target-groups

    local n vpc attr key id

    # VpcAttributes: [{VpcId, EnableDnsSupport: {Value}, EnableDnsHostnames: {Value}}]
    if [[ -f "$DIR/describe-vpcs.json" ]]; then
        new_elems
        n=0
        while IFS= read -r vpc; do
            n=$((n + 1))
            jq -n --arg id "$vpc" '{VpcId: $id}' >"$TMP/elem.json"
            for attr in enableDnsSupport enableDnsHostnames; do
                case "$attr" in
                    enableDnsSupport) key=EnableDnsSupport ;;
                    *) key=EnableDnsHostnames ;;
                esac
                if call "$TMP/attr.json" ec2 describe-vpc-attribute --vpc-id "$vpc" \
                    --attribute "$attr"; then
                    jq --slurpfile a "$TMP/attr.json" --arg k "$key" \
                        '. + {($k): $a[0][$k]}' "$TMP/elem.json" >"$TMP/elem2.json"
                    mv -- "$TMP/elem2.json" "$TMP/elem.json"
                fi
            done
            mv -- "$TMP/elem.json" "$TMP/elems/$(printf '%06d' "$n").json"
        done < <(ids "$DIR/describe-vpcs.json" '.Vpcs[].VpcId')
        wrap VpcAttributes "$DIR/describe-vpc-attribute.json"
    fi

    # Transit Gateway route tables: routes, associations, propagations (no parent id in output).
    if [[ -f "$DIR/describe-transit-gateway-route-tables.json" ]]; then
        local -a rtbs=()
        while IFS= read -r id; do
            rtbs+=("$id")
        done < <(ids "$DIR/describe-transit-gateway-route-tables.json" \
            '.TransitGatewayRouteTables[]
             | select((.State // "" | ascii_downcase) == "available")
             | .TransitGatewayRouteTableId')

        new_elems
        n=0
        for id in ${rtbs[@]+"${rtbs[@]}"}; do
            n=$((n + 1))
            if call "$TMP/r.json" ec2 search-transit-gateway-routes \
                --transit-gateway-route-table-id "$id" \
                --filters Name=state,Values=active,blackhole --max-results 1000; then
                jq --arg id "$id" '{TransitGatewayRouteTableId: $id,
                    AdditionalRoutesAvailable: (.AdditionalRoutesAvailable // false),
                    Routes: (.Routes // [])}' "$TMP/r.json" \
                    >"$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done
        wrap TransitGatewayRoutes "$DIR/search-transit-gateway-routes.json"

        new_elems
        n=0
        for id in ${rtbs[@]+"${rtbs[@]}"}; do
            n=$((n + 1))
            if call "$TMP/r.json" ec2 get-transit-gateway-route-table-associations \
                --transit-gateway-route-table-id "$id"; then
                jq --arg id "$id" '{TransitGatewayRouteTableId: $id,
                    Associations: (.Associations // [])}' "$TMP/r.json" \
                    >"$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done
        wrap TransitGatewayAssociations "$DIR/get-transit-gateway-route-table-associations.json"

        new_elems
        n=0
        for id in ${rtbs[@]+"${rtbs[@]}"}; do
            n=$((n + 1))
            if call "$TMP/r.json" ec2 get-transit-gateway-route-table-propagations \
                --transit-gateway-route-table-id "$id"; then
                jq --arg id "$id" '{TransitGatewayRouteTableId: $id,
                    TransitGatewayRouteTablePropagations:
                        (.TransitGatewayRouteTablePropagations // [])}' "$TMP/r.json" \
                    >"$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done
        wrap TransitGatewayPropagations "$DIR/get-transit-gateway-route-table-propagations.json"
    fi

    # Load balancers: listeners (per load balancer, merged into one Listeners list).
    if [[ -f "$DIR/describe-load-balancers.json" ]]; then
        new_elems
        n=0
        while IFS= read -r id; do
            n=$((n + 1))
            if call "$TMP/r.json" elbv2 describe-listeners --load-balancer-arn "$id"; then
                mv -- "$TMP/r.json" "$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done < <(ids "$DIR/describe-load-balancers.json" '.LoadBalancers[].LoadBalancerArn')
        local -a lfiles=("$TMP"/elems/*.json)
        if [[ -e "${lfiles[0]}" ]]; then
            jq -s '{Listeners: [.[].Listeners // [] | .[]]}' "${lfiles[@]}" \
                >"$DIR/describe-listeners.json"
        else
            jq -n '{Listeners: []}' >"$DIR/describe-listeners.json"
        fi
        rm -rf -- "$TMP/elems"

        # Attributes (cross-zone load balancing; no load balancer ARN in the output).
        new_elems
        n=0
        while IFS= read -r id; do
            n=$((n + 1))
            if call "$TMP/r.json" elbv2 describe-load-balancer-attributes --load-balancer-arn "$id"; then
                jq --arg id "$id" '{LoadBalancerArn: $id, Attributes: (.Attributes // [])}' \
                    "$TMP/r.json" >"$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done < <(ids "$DIR/describe-load-balancers.json" '.LoadBalancers[].LoadBalancerArn')
        wrap LoadBalancerV2Attributes "$DIR/describe-load-balancer-attributes.json"
    fi

    # Target groups: health and attributes (no target group ARN in either output).
    if [[ -f "$DIR/describe-target-groups.json" ]]; then
        local -a tgs=()
        while IFS= read -r id; do
            tgs+=("$id")
        done < <(ids "$DIR/describe-target-groups.json" '.TargetGroups[].TargetGroupArn')

        new_elems
        n=0
        for id in ${tgs[@]+"${tgs[@]}"}; do
            n=$((n + 1))
            if call "$TMP/r.json" elbv2 describe-target-health --target-group-arn "$id"; then
                jq --arg id "$id" '{TargetGroupArn: $id,
                    TargetHealthDescriptions: (.TargetHealthDescriptions // [])}' "$TMP/r.json" \
                    >"$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done
        wrap LoadBalancerTargetHealth "$DIR/describe-target-health.json"

        new_elems
        n=0
        for id in ${tgs[@]+"${tgs[@]}"}; do
            n=$((n + 1))
            if call "$TMP/r.json" elbv2 describe-target-group-attributes --target-group-arn "$id"; then
                jq --arg id "$id" '{TargetGroupArn: $id, Attributes: (.Attributes // [])}' \
                    "$TMP/r.json" >"$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done
        wrap TargetGroupAttributes "$DIR/describe-target-group-attributes.json"

    fi

    # VPC Lattice resource gateways and resource configurations: the list outputs lack
    # subnets, security groups and port ranges, so each is read with get-… (camelCase output).
    if call "$TMP/list.json" vpc-lattice list-resource-gateways; then
        new_elems
        n=0
        while IFS= read -r id; do
            n=$((n + 1))
            if call "$TMP/r.json" vpc-lattice get-resource-gateway --resource-gateway-identifier "$id"; then
                mv -- "$TMP/r.json" "$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done < <(ids "$TMP/list.json" '.items[].id')
        wrap ResourceGateways "$DIR/get-resource-gateway.json"
    fi
    if call "$TMP/list.json" vpc-lattice list-resource-configurations; then
        new_elems
        n=0
        while IFS= read -r id; do
            n=$((n + 1))
            if call "$TMP/r.json" vpc-lattice get-resource-configuration \
                --resource-configuration-identifier "$id"; then
                mv -- "$TMP/r.json" "$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done < <(ids "$TMP/list.json" '.items[].id')
        wrap ResourceConfigurations "$DIR/get-resource-configuration.json"
    fi

    # Customer-managed prefix lists: entries (AWS-managed lists come with describe-prefix-lists).
    if [[ -f "$DIR/describe-managed-prefix-lists.json" ]]; then
        new_elems
        n=0
        while IFS= read -r id; do
            n=$((n + 1))
            if call "$TMP/r.json" ec2 get-managed-prefix-list-entries --prefix-list-id "$id"; then
                jq --arg id "$id" '{PrefixListId: $id, Entries: (.Entries // [])}' \
                    "$TMP/r.json" >"$TMP/elems/$(printf '%06d' "$n").json"
            fi
        done < <(ids "$DIR/describe-managed-prefix-lists.json" \
            '.PrefixLists[] | select(.OwnerId != "AWS") | .PrefixListId')
        wrap ManagedPrefixListEntries "$DIR/get-managed-prefix-list-entries.json"
    fi
}

ERRORS_BEFORE=0
for r in "${REGION_LIST[@]}"; do
    export_region "$r"
    count=$(find "$OUT/$ACCOUNT/$r" -maxdepth 1 -name '*.json' | wc -l)
    echo "$PROG: $r: $count files, $((ERRORS - ERRORS_BEFORE)) failed calls" >&2
    ERRORS_BEFORE=$ERRORS
done

if [[ $ERRORS -gt 0 ]]; then
    echo "$PROG: done with $ERRORS failed calls; see $OUT/$ACCOUNT/*/export-errors.txt" >&2
else
    echo "$PROG: done: $OUT/$ACCOUNT" >&2
fi

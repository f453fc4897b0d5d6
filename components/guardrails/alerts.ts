import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as sns from "@pulumi/aws/sns";
import { AlertSubscription } from "../../stacks/model/guardrails";
import { alertTopicPolicy, EventPattern, eventPatternJson, stablePolicyJson } from "../../stacks/documents/guardrails-docs";

/** Arguments of {@link AlertRules}. */
export interface AlertRulesArgs {
    /** Account the topic and rules live in (the topic policy admits only its EventBridge rules). */
    accountId: string;
    /** Where alerts go; may be empty (subscribe out-of-band, e.g. a chat integration). */
    subscriptions: readonly AlertSubscription[];
    /** EventBridge patterns by stable key; each becomes one rule named `<name>-<key>` targeting the topic. */
    rules: Readonly<Record<string, EventPattern>>;
    /** Region of the topic and rules; default the provider's. Sign-in and IAM events arrive in us-east-1. */
    region?: string;
    /** Provider of the account (default the program's). */
    provider?: pulumi.ProviderResource;
    /** Topic display name (default `idfed alerts`). */
    displayName?: string;
    /**
     * Every enabled region of the account. "AWS API Call via CloudTrail" events arrive in the region where the
     * call was made: each other region gets the same rules, forwarding matches to the home region's default
     * event bus, where the home rules alert once. Default: the home region only.
     */
    regions?: readonly string[];
}

/** Home region of alert rules whose events (console sign-in, IAM and root activity) are global: us-east-1. */
export const GLOBAL_EVENTS_REGION = "us-east-1";

/**
 * An SNS topic that only EventBridge rules of its account may publish to, its subscriptions, and one
 * EventBridge rule plus target per pattern. Children are named from `name` and the pattern key.
 */
export class AlertRules extends pulumi.ComponentResource {
    /** ARN of the alert topic. */
    public readonly topicArn: pulumi.Output<string>;
    /** Rule names by pattern key. */
    public readonly ruleNames: Record<string, string>;

    constructor(name: string, args: AlertRulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("idfed:guardrails:AlertRules", name, {}, opts);
        const child: pulumi.CustomResourceOptions = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
        const region = args.region === undefined ? {} : { region: args.region };
        const topic = new sns.Topic(
            `${name}-topic`,
            { name: `idfed-${name}`, displayName: args.displayName ?? "idfed alerts", ...region },
            child,
        );
        new sns.TopicPolicy(
            `${name}-topic-policy`,
            {
                arn: topic.arn,
                policy: topic.arn.apply((arn) => stablePolicyJson(alertTopicPolicy(arn, args.accountId))),
                ...region,
            },
            child,
        );
        for (const s of args.subscriptions) {
            new sns.TopicSubscription(
                `${name}-${s.protocol}-${s.endpoint.replace(/[^\w.@-]/g, "_")}`,
                {
                    topic: topic.arn,
                    protocol: s.protocol,
                    endpoint: s.endpoint,
                    ...region,
                },
                child,
            );
        }
        const ruleNames: Record<string, string> = {};
        for (const key of Object.keys(args.rules).sort()) {
            const ruleName = `${name}-${key}`.slice(0, 64);
            const rule = new cloudwatch.EventRule(
                `${name}-${key}`,
                {
                    name: ruleName,
                    description: `idfed guardrail: ${key}`,
                    eventPattern: eventPatternJson(args.rules[key]),
                    ...region,
                },
                child,
            );
            new cloudwatch.EventTarget(`${name}-${key}-sns`, { rule: rule.name, arn: topic.arn, targetId: "sns", ...region }, child);
            ruleNames[key] = ruleName;
        }
        const home = args.region ?? GLOBAL_EVENTS_REGION;
        const others = [...new Set(args.regions ?? [])].filter((r) => r !== home).sort();
        if (others.length > 0) {
            const bus = `arn:aws:events:${home}:${args.accountId}:event-bus/default`;
            const role = new iam.Role(
                `${name}-forward`,
                {
                    name: `idfed-${name}-forward`.slice(0, 64),
                    path: "/idfed/",
                    assumeRolePolicy: stablePolicyJson({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
                    }),
                },
                child,
            );
            new iam.RolePolicy(
                `${name}-forward`,
                {
                    role: role.name,
                    policy: stablePolicyJson({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: bus }],
                    }),
                },
                child,
            );
            for (const r of others) {
                for (const key of Object.keys(args.rules).sort()) {
                    const rule = new cloudwatch.EventRule(
                        `${name}-${key}-${r}`,
                        {
                            name: `${name}-${key}`.slice(0, 64),
                            description: `idfed guardrail: ${key} (forwarded to ${home})`,
                            eventPattern: eventPatternJson(args.rules[key]),
                            region: r,
                        },
                        child,
                    );
                    new cloudwatch.EventTarget(
                        `${name}-${key}-${r}-forward`,
                        { rule: rule.name, arn: bus, roleArn: role.arn, targetId: "home-bus", region: r },
                        child,
                    );
                }
            }
        }
        this.topicArn = topic.arn;
        this.ruleNames = ruleNames;
        this.registerOutputs({ topicArn: this.topicArn, ruleNames: this.ruleNames });
    }
}

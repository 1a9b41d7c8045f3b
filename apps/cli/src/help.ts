// Plain text only: `orchest --help` must not import any connector, SDK or schema library.

export const HELP = `orchest — who has access to what

Usage:
  orchest [-c NAME] check IDENTIFIER         is this person a member?
  orchest [-c NAME] add IDENTIFIER [--role R] add (or invite) a person
  orchest [-c NAME] rm IDENTIFIER            remove a person, or cancel their invitation
  orchest connectors                         installed connectors and configured instances
  orchest generate NAME [...]                set up credentials for an instance
  orchest sandbox [--seed demo|empty] [--write-config PATH] [--faults SPEC]
                                             run local emulators of every installed connector
  orchest batch apply FILE [--inline] [--wait]
  orchest batch status ID [--json] [--wait]
  orchest batch report ID [--format csv|json]
  orchest plan ROSTER [--json]               what apply would change (nothing changes)
  orchest apply ROSTER [--inline] [--yes] [--force]
                                             carry the plan out as one batch (asks first)
  orchest onboard PERSON [--roster FILE]     one person into every instance
  orchest offboard PERSON [--roster FILE]    one person out of every instance
        without --roster: [--email E] [--github LOGIN] [--trello USER]
        [--identity INSTANCE=ID] [--instances a,b] [--role R] (default: every instance)
  orchest audit [--since DATE] [--person ID] [--instance NAME] [--json]

Options:
  -c, --connector NAME   the configured instance (or a connector type with one instance);
                         defaults to "default_connector" from config
      --config PATH      config file (else $ORCHESTER_CONFIG_PATH, ./.orchester.json|yaml,
                         ~/.orchester.json|yaml)
      --role ROLE        role for add (github: member|admin)
      --json             machine-readable output on stdout
      --enqueue          put the job on the worker's queue instead of running it here
      --wait             with --enqueue: wait for the result
      --inline           apply: run the batch in this process instead of the worker's queue
  -y, --yes              apply: do not ask before changing anything (needed without a terminal)
      --force            apply: go on although the plan breaks maxRemovalRatio or minAdmins
  -h, --help             this help
  -V, --version          the CLI's version

Exit codes:
  0  success (check: the person is a member)
  1  check: the person is not a member (absent, invited or deactivated; printed which)
  2  usage, config or input error, or a roster safety limit; nothing was changed
  3  the service failed or refused, after retries
`;

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
  orchest offboard PERSON [--roster FILE]    one person out of every instance, then checks
                                             that no access is left
        without --roster: [--email E] [--github LOGIN] [--trello USER]
        [--identity INSTANCE_OR_TYPE=ID] [--instances a,b] (default: every instance)
        onboard also [--role R] [--role INSTANCE_OR_TYPE=R]; "orchest onboard --help"
        lists the roles of each instance
  orchest audit [--since DATE] [--person ID] [--instance NAME] [--json]
  orchest audit --identities [--instance NAME] [--json]
                                             which service account each e-mail orchester
                                             invited became (Trello hides e-mails)

Options:
  -c, --connector NAME   the configured instance (or a connector type with one instance);
                         defaults to "default_connector" from config
      --config PATH      config file (else $ORCHESTER_CONFIG_PATH, ./.orchester.json|yaml,
                         ~/.orchester.json|yaml)
      --role ROLE        role for add (github: member|admin); onboard: every target, or
                         --role INSTANCE_OR_TYPE=ROLE for one
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
  3  the service failed or refused, after retries; offboard: access remains somewhere,
     or a check could not be made
`;

/** `orchest onboard --help` and `orchest offboard --help`; onboard adds each instance's roles. */
export const PERSON_HELP = `Usage:
  orchest onboard PERSON --roster FILE       add the person where the roster assigns them
  orchest offboard PERSON --roster FILE      remove the person from every instance the roster
                                             names, by every identifier they may have there
  orchest onboard|offboard PERSON [--email E] [--github LOGIN] [--trello USER]
        [--identity INSTANCE_OR_TYPE=ID] [--instances a,b]
  orchest onboard PERSON ... [--role R] [--role INSTANCE_OR_TYPE=R]

PERSON is the e-mail, or (with --roster) the e-mail or the name in the roster.

Without a roster:
  --github, --trello, --identity   the person's identity on instances of that type or on that
                                   instance (an instance name wins over its type); elsewhere
                                   the e-mail. A given identity is never replaced by the
                                   e-mail: one the connector refuses is an error.
  --instances a,b                  instance names, or types with one instance (default: all)
  --role R                         onboard: the role on every target; --role github=admin or
                                   --role gdrive-eng=writer for one type or instance
Every identity, instance and role is checked first; any problem: all of them listed, exit 2,
nothing sent. offboard takes no --role.

offboard then checks every identifier it removed on every instance it targeted, and says
"verified: no access on ...", "access remains: ..." or "could not verify: ..." (a deactivated
account is no access). --json adds "verification" to the report.

Exit codes: 0 done (offboard: and verified); 2 usage or input error, nothing sent; 3 a job
failed, or (offboard) access remains or a check could not be made.
`;

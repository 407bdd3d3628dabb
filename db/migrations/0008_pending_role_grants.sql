CREATE TABLE "pending_role_grants" (
	"subject" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pending_role_grants_subject_role_pk" PRIMARY KEY("subject","role")
);

import express, { IRouter, Request } from 'express';
import { InvalidError } from '../../domain/errors';
import { issue } from '../../domain/wish/rules';
import { BASE, ConsoleDeps } from './context';
import { pageHandler } from './errors';
import { guardForm } from './session';
import { visibleWish } from './visible-wish';
import { oneTimeLinkPage } from './wish-page';

const IN_PERSON_ANSWERS = ['given', 'private', 'withdrawn'] as const;

/** The console's side of consent: ask the resident, record what they said in person, a donor's private link. */
export function consentRoutes(router: IRouter, deps: ConsoleDeps): void {
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const field = (req: Request, name: string) => {
    const v = (req.body as Record<string, unknown> | undefined)?.[name];
    return typeof v === 'string' ? v : undefined;
  };

  router.post(
    `${BASE}/wishes/:id/consent-request`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const wish = await visibleWish(deps, String(req.params.id), actor);
      const { event } = await deps.consent.ask(wish.id, actor);
      res.redirect(303, `${BASE}/wishes/${wish.id}?done=${event ? 'asked' : 'nothing'}`);
    }),
  );

  router.post(
    `${BASE}/wishes/:id/consent`,
    form,
    guardForm(deps),
    pageHandler(deps, async (req, res) => {
      const actor = req.consoleSession!.actor;
      const wish = await visibleWish(deps, String(req.params.id), actor);
      const answer = field(req, 'answer');
      if (!(IN_PERSON_ANSWERS as readonly string[]).includes(answer ?? '')) throw InvalidError.fields([issue('answer', 'not_a_choice', { choices: IN_PERSON_ANSWERS.join(', ') })]);
      const { event } = await deps.consent.recordInPerson(wish.id, actor, {
        purpose: 'publish',
        answer: answer as (typeof IN_PERSON_ANSWERS)[number],
        note: field(req, 'note') ?? '',
        publish: field(req, 'publish') === '1',
      });
      res.redirect(303, `${BASE}/wishes/${wish.id}?done=${event ? 'consent' : 'nothing'}`);
    }),
  );

  // Shown once, on the answer to this form, like the resident's link.
  router.post(`${BASE}/wishes/:id/donor-link`, form, guardForm(deps), pageHandler(deps, (req, res) => oneTimeLinkPage(deps, req, res, 'donor')));
}

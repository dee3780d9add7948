import { Router } from 'express';
import { z } from 'zod';
import { CommunityService } from '../../domain/community';
import { ForbiddenError, NotFoundError } from '../../domain/errors';
import { isStaffFor } from '../../domain/roles';
import { actorOf } from '../auth';
import { communityDto } from '../dto';
import { parseInput } from '../validate';

const createCommunityBody = z.strictObject({
  name: z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }).trim().min(2, 'must be at least 2 characters').max(80, 'must be at most 80 characters'),
});

export function communityRoutes(deps: { communities: CommunityService }): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const input = parseInput(createCommunityBody, req.body ?? {});
    const community = await deps.communities.create(input, actorOf(req));
    res.status(201).json(communityDto(community));
  });

  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    const all = await deps.communities.list();
    const visible = all.filter((c) => isStaffFor(actor, c.id));
    res.json({ items: visible.map(communityDto) });
  });

  router.get('/:id', async (req, res) => {
    const actor = actorOf(req);
    const community = await deps.communities.get(req.params.id);
    if (!community) throw new NotFoundError('community_not_found', `No community ${req.params.id}`);
    if (!isStaffFor(actor, community.id)) {
      throw new ForbiddenError('forbidden', 'This community is not yours');
    }
    res.json(communityDto(community));
  });

  return router;
}
